import { randomUUID } from 'node:crypto';
import { tools } from '../../dev/stack/tools';

/** Addresses of the servers jest's global setup started (or was told to reuse). */
export function testStack() {
  const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  const mongodbBaseUri = process.env.TEST_MONGODB_URI;
  const livekitUrl = process.env.TEST_LIVEKIT_URL;
  if (!temporalAddress || !mongodbBaseUri || !livekitUrl) throw new Error('the jest global setup did not run');
  return {
    temporalAddress,
    /** A fresh database name per call keeps test files independent on one server. */
    mongodbUri: (prefix = 'test') => `${mongodbBaseUri}${prefix}_${randomUUID().slice(0, 8)}`,
    timeSkippingServer: tools.temporalTestServer,
    livekit: { url: livekitUrl, apiKey: 'devkey', apiSecret: 'secret' },
  };
}

/** A task queue of its own per test, so workers of different test files never share work. */
export const uniqueTaskQueue = (prefix = 'test') => `${prefix}-${randomUUID()}`;
