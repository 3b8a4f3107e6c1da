// The Temporal server itself, as a deployment runs it: PostgreSQL for persistence and SQL
// visibility (schemas set up and upgraded by the module's own SQL tool), the frontend,
// history, matching and worker services as separate processes (so a fault can hit one),
// the namespace and our search attributes registered with the CLI, and the Web UI.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../src/workflows/search-attributes';
import { spawnManaged, tcpReachable, waitUntil, type ManagedProcess } from '../stack/processes';
import { requireTool } from '../stack/tools';
import { POSTGRES_USER, psql, startPostgres } from './postgres';
import {
  renderTemporalConfig,
  renderUiConfig,
  TEMPORAL_DATABASES,
  TEMPORAL_SERVICES,
  type TemporalClusterPorts,
  type TemporalService,
} from './temporal-config';
import { clusterTools, requireClusterTool } from './tools';

const run = promisify(execFile);

export const NAMESPACE = 'default';
/** How long Temporal keeps a closed workflow's history (the dev server keeps it a day). */
export const NAMESPACE_RETENTION = '72h';

export interface TemporalClusterOptions {
  dataDir: string;
  ports: TemporalClusterPorts;
}

export interface TemporalCluster {
  address: string;
  uiUrl: string;
  /** 'postgres', 'temporal-frontend', 'temporal-history', 'temporal-matching', 'temporal-worker', 'temporal-ui'. */
  processes: Map<string, ManagedProcess>;
  describe: string[];
  /** Starts one service again after it was stopped or killed (for fault injection). */
  startService(service: TemporalService): Promise<void>;
  /** Starts PostgreSQL again after it was stopped (for fault injection); its data stays. */
  startDatabase(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  const { dataDir, ports } = options;
  const processes = new Map<string, ManagedProcess>();
  const address = `127.0.0.1:${ports.services.frontend.grpc}`;
  const configDir = path.join(dataDir, 'temporal-config');
  mkdirSync(configDir, { recursive: true });
  const configFile = (service: TemporalService) => path.join(configDir, `${service}.yaml`);

  const stop = async () => {
    // The UI and the frontend first (no new requests), the database last.
    for (const name of ['temporal-ui', 'temporal-worker', 'temporal-frontend', 'temporal-matching', 'temporal-history', 'postgres']) {
      await processes.get(name)?.stop();
    }
  };
  const startService = async (service: TemporalService) => {
    const server = spawnManaged(
      `temporal-${service}`,
      requireClusterTool(clusterTools.temporalServer),
      ['--config-file', configFile(service), '--allow-no-auth', 'start', '--service', service],
      { logFile: path.join(dataDir, `temporal-${service}.log`) },
    );
    processes.set(`temporal-${service}`, server);
    await waitUntil(`the Temporal ${service} service`, () => tcpReachable(ports.services[service].grpc), {
      process: server,
      timeoutMs: 90_000,
    });
  };

  const startDatabase = async () => {
    processes.set(
      'postgres',
      await startPostgres({
        dataDir: path.join(dataDir, 'postgres'),
        port: ports.postgres,
        output: { logFile: path.join(dataDir, 'postgres.log') },
      }),
    );
  };

  try {
    await startDatabase();
    await setUpSchema(ports.postgres, TEMPORAL_DATABASES.persistence, 'temporal');
    await setUpSchema(ports.postgres, TEMPORAL_DATABASES.visibility, 'visibility');

    const dynamicConfig = path.join(configDir, 'dynamic-config.yaml');
    // The server's defaults; a fault or load run may add knobs here (read every 10 s).
    writeFileSync(dynamicConfig, '{}\n');
    for (const service of TEMPORAL_SERVICES) writeFileSync(configFile(service), renderTemporalConfig(ports, service, dynamicConfig));
    // One at a time, history first: on a new database the first service to start writes the
    // cluster's metadata, and two at once race for it (the loser exits). History and matching
    // before the frontend and the worker service, which call them.
    for (const service of ['history', 'matching', 'frontend', 'worker'] as const) await startService(service);
    await registerNamespace(address);

    const uiConfigDir = path.join(dataDir, 'temporal-ui-config');
    mkdirSync(uiConfigDir, { recursive: true });
    writeFileSync(path.join(uiConfigDir, 'cluster.yaml'), renderUiConfig(ports));
    const ui = spawnManaged(
      'temporal-ui',
      requireClusterTool(clusterTools.temporalUiServer),
      ['--root', uiConfigDir, '--config', '.', '--env', 'cluster', 'start'],
      { logFile: path.join(dataDir, 'temporal-ui.log') },
    );
    processes.set('temporal-ui', ui);
    await waitUntil(`the Temporal Web UI on 127.0.0.1:${ports.ui}`, () => tcpReachable(ports.ui), { process: ui });
  } catch (error) {
    await stop();
    throw error;
  }

  const uiUrl = `http://127.0.0.1:${ports.ui}`;
  const service = (name: TemporalService) => `${name} 127.0.0.1:${ports.services[name].grpc} (metrics :${ports.services[name].metrics})`;
  return {
    address,
    uiUrl,
    processes,
    describe: [
      `    Temporal        gRPC ${address} (HTTP 127.0.0.1:${ports.frontendHttp}); namespace ${NAMESPACE}`,
      `      services      ${TEMPORAL_SERVICES.map(service).join(', ')}`,
      `    Temporal Web UI ${uiUrl}`,
      `    PostgreSQL      127.0.0.1:${ports.postgres} (user ${POSTGRES_USER}; databases ${TEMPORAL_DATABASES.persistence}, ${TEMPORAL_DATABASES.visibility})`,
    ],
    startService,
    startDatabase,
    stop,
  };
}

/**
 * Creates the database and its schema on first use, then upgrades it to the newest version
 * the module ships (a no-op when it is current): what admin-tools does in a deployment.
 */
async function setUpSchema(port: number, database: string, schema: 'temporal' | 'visibility'): Promise<void> {
  const tool = requireClusterTool(clusterTools.temporalSqlTool);
  const connection = [
    '--plugin',
    'postgres12',
    '--ep',
    '127.0.0.1',
    '--port',
    String(port),
    '--user',
    POSTGRES_USER,
    '--password',
    POSTGRES_USER,
    '--db',
    database,
  ];
  const sqlTool = (args: string[]) =>
    run(tool, [...connection, ...args]).catch((error: Error & { stderr?: string; stdout?: string }) => {
      throw new Error(`temporal-sql-tool ${args[0]} (${database}) failed: ${error.stderr || error.stdout || error.message}`);
    });
  const exists = (await psql(port, `SELECT 1 FROM pg_database WHERE datname = '${database}'`)) === '1';
  if (!exists) {
    await sqlTool(['create-database']);
    await sqlTool(['setup-schema', '-v', '0.0']);
  }
  await sqlTool(['update-schema', '--schema-dir', path.join(clusterTools.postgresSchema, schema, 'versioned')]);
}

/**
 * The namespace and our custom search attributes, created with the CLI as an operator would
 * (admin-tools does the same in the compose file); a later run finds them and creates nothing.
 */
async function registerNamespace(address: string): Promise<void> {
  const cli = requireTool('temporal');
  const temporal = (args: string[]) =>
    run(cli, [...args, '--address', address, '--namespace', NAMESPACE]).catch((error: Error & { stderr?: string }) => {
      throw new Error(`temporal ${args.slice(0, 3).join(' ')} failed: ${error.stderr || error.message}`);
    });
  const connection = await Connection.connect({ address });
  try {
    const described = () =>
      connection.workflowService.describeNamespace({ namespace: NAMESPACE }).then(
        () => true,
        () => false,
      );
    // Until history has joined and taken its shards, the frontend may turn writes away.
    await waitUntil(
      `the namespace ${NAMESPACE} on ${address}`,
      async () => {
        if (!(await described())) await temporal(['operator', 'namespace', 'create', '--retention', NAMESPACE_RETENTION]);
        return described();
      },
      { timeoutMs: 90_000 },
    );
    const registered = async () =>
      Object.keys((await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE })).customAttributes ?? {});
    // The services learn of a new namespace from their caches (refreshed every few seconds).
    let present: string[] = [];
    await waitUntil(`the namespace ${NAMESPACE} in the services' caches`, async () => {
      present = await registered();
      return true;
    });
    const missing = SEARCH_ATTRIBUTE_REGISTRATIONS.map((registration) => registration.split('=') as [string, string]).filter(
      ([name]) => !present.includes(name),
    );
    if (missing.length > 0) {
      await temporal(['operator', 'search-attribute', 'create', ...missing.flatMap(([name, type]) => ['--name', name, '--type', type])]);
    }
    await waitUntil(`the search attributes on ${address}`, async () => {
      const now = await registered();
      return SEARCH_ATTRIBUTE_REGISTRATIONS.every((registration) => now.includes(registration.split('=')[0]!));
    });
  } finally {
    await connection.close();
  }
}
