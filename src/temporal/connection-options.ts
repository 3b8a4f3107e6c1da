import { readFileSync } from 'node:fs';
import type { Config } from '../config';

/**
 * Connection options shared by the API's client and the worker: plain on loopback, mTLS
 * with a client certificate, or TLS with an API key for Temporal Cloud.
 */
export function temporalConnectionOptions(temporal: Config['temporal']) {
  const { tls, apiKey } = temporal;
  return {
    address: temporal.address,
    tls: tls
      ? {
          clientCertPair: tls.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined,
        }
      : undefined,
    apiKey,
  };
}
