// The Temporal server's configuration for the local cluster, rendered for its ports: the
// shape of the module's config/development-postgres12.yaml, with persistence and SQL
// visibility on one PostgreSQL, every service on loopback, and archival off.
import { stringify } from 'yaml';
import { POSTGRES_USER } from './postgres';

export const TEMPORAL_SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

export interface TemporalServicePorts {
  grpc: number;
  membership: number;
  /** Its Prometheus metrics (each service is a process of its own, so each has its own port). */
  metrics: number;
}

export interface TemporalClusterPorts {
  postgres: number;
  services: Record<TemporalService, TemporalServicePorts>;
  /** The frontend's HTTP API. */
  frontendHttp: number;
  ui: number;
}

export const TEMPORAL_DATABASES = { persistence: 'temporal', visibility: 'temporal_visibility' } as const;

/**
 * Fixed when the cluster's database is created and never changeable afterwards. Four is the
 * module's development value and ample for one machine; a production cluster sizes it for
 * its history hosts (hundreds or thousands).
 */
export const NUM_HISTORY_SHARDS = 4;

/** The config file of the process that runs `service` (they differ only in their metrics port). */
export function renderTemporalConfig(ports: TemporalClusterPorts, service: TemporalService, dynamicConfigFile: string): string {
  const sql = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${ports.postgres}`,
      connectProtocol: 'tcp',
      user: POSTGRES_USER,
      password: POSTGRES_USER,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (name: TemporalService) => ({
    rpc: {
      grpcPort: ports.services[name].grpc,
      membershipPort: ports.services[name].membership,
      bindOnLocalHost: true,
      ...(name === 'frontend' ? { httpPort: ports.frontendHttp } : {}),
    },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: NUM_HISTORY_SHARDS,
      datastores: {
        'postgres-default': sql(TEMPORAL_DATABASES.persistence, 20),
        'postgres-visibility': sql(TEMPORAL_DATABASES.visibility, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.services[service].metrics}` },
      },
    },
    services: Object.fromEntries(TEMPORAL_SERVICES.map((name) => [name, rpc(name)])),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.services.frontend.grpc}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
  return stringify(config);
}

/** The standalone Web UI server's config (`<env>.yaml` in its config folder). */
export function renderUiConfig(ports: TemporalClusterPorts): string {
  return stringify({
    temporalGrpcAddress: `127.0.0.1:${ports.services.frontend.grpc}`,
    // On loopback only, as everything else here (unset, it listens on every interface).
    host: '127.0.0.1',
    port: ports.ui,
    publicPath: '',
    enableUi: true,
    defaultNamespace: 'default',
    // Loopback only: the browser and the UI server are on this machine.
    cors: { cookieInsecure: true, allowOrigins: [`http://127.0.0.1:${ports.ui}`, `http://localhost:${ports.ui}`] },
    disableNewsFetch: true,
    refreshInterval: '1m',
  });
}
