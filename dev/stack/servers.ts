import { mkdirSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../src/workflows/search-attributes';
import { indexIdLookups } from './ferretdb-id-index';
import { spawnManaged, tcpReachable, waitUntil, type ManagedProcess, type SpawnOptions } from './processes';
import { requireTool } from './tools';

export interface TemporalDevServerOptions {
  port: number;
  uiPort?: number;
  /** SQLite file; the server keeps its state there across restarts. */
  dbFile: string;
  headless?: boolean;
  output?: SpawnOptions;
  /** SQLite pragmas (`name=value`); `DEV_SERVER_SQLITE_PRAGMAS` unless given ([] = the CLI's defaults). */
  sqlitePragmas?: readonly string[];
}

/**
 * The dev server's SQLite file in write-ahead-log mode, synced at checkpoints rather than at
 * every commit: SQLite's recommended setup for a busy writer. The CLI's default is a rollback
 * journal with a full sync of journal and database on each commit, and the engine commits for
 * every signal, task and timer. A crashed or killed server loses nothing either way; only a
 * power cut could lose the last commits (never corrupt the file), which a local server can
 * afford. Deployed Temporal runs on PostgreSQL (docker-compose.yml), so this is local only.
 */
export const DEV_SERVER_SQLITE_PRAGMAS: readonly string[] = ['journal_mode=wal', 'synchronous=normal'];

/** The official Temporal CLI dev server, with our custom search attributes registered. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<ManagedProcess> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--db-filename',
    options.dbFile,
    '--namespace',
    'default',
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap((registration) => ['--search-attribute', registration]),
    ...(options.sqlitePragmas ?? DEV_SERVER_SQLITE_PRAGMAS).flatMap((pragma) => ['--sqlite-pragma', pragma]),
  ];
  if (options.headless || options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');

  const server = spawnManaged('temporal', requireTool('temporal'), args, options.output);
  const address = `127.0.0.1:${options.port}`;
  await waitUntil(`Temporal dev server on ${address}`, () => temporalReady(address), { process: server, timeoutMs: 90_000 });
  return server;
}

async function temporalReady(address: string): Promise<boolean> {
  if (!(await tcpReachable(Number(address.split(':')[1])))) return false;
  const connection = await Connection.connect({ address, connectTimeout: 2_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return true;
  } finally {
    await connection.close();
  }
}

export interface FerretDbOptions {
  port: number;
  dataDir: string;
  output?: SpawnOptions;
  /** Collections (by database) to create and give the `_id` index FerretDB's look-ups use. */
  idIndexed?: Record<string, string[]>;
}

/**
 * Connection options for a FerretDB URI. Its SQLite backend takes one write at a time; more
 * concurrent writers only contend for the lock (SQLITE_BUSY after about 10 s under load), so
 * each process queues its operations in the driver's pool instead. Real MongoDB keeps the
 * driver's default of 100.
 */
export const FERRETDB_URI_OPTIONS = 'maxPoolSize=8';

/** FerretDB speaking the MongoDB wire protocol on loopback, stored in SQLite files under dataDir. */
export async function startFerretDb(options: FerretDbOptions): Promise<ManagedProcess> {
  mkdirSync(options.dataDir, { recursive: true });
  const server = spawnManaged(
    'ferretdb',
    requireTool('ferretdb'),
    [
      '--handler=sqlite',
      `--sqlite-url=file:${options.dataDir}/`,
      `--listen-addr=127.0.0.1:${options.port}`,
      `--state-dir=${options.dataDir}`,
      '--telemetry=disable',
      '--debug-addr=-',
      '--log-level=warn',
    ],
    options.output,
  );
  const uri = `mongodb://127.0.0.1:${options.port}/`;
  await waitUntil(`FerretDB on ${uri}`, () => mongoReady(uri), { process: server });
  if (options.idIndexed) await indexIdLookups(uri, options.dataDir, options.idIndexed);
  return server;
}

async function mongoReady(uri: string): Promise<boolean> {
  if (!(await tcpReachable(Number(new URL(uri).port)))) return false;
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close();
  }
}

export interface LiveKitOptions {
  port: number;
  output?: SpawnOptions;
}

/**
 * A real LiveKit server in --dev mode (key `devkey`, secret `secret`), kept on loopback:
 * ICE/TCP off and media ports only on `lo`, so nothing listens on other interfaces.
 */
export async function startLiveKit(options: LiveKitOptions): Promise<ManagedProcess> {
  const rtc =
    'rtc: {tcp_port: 0, port_range_start: 50000, port_range_end: 60000, enable_loopback_candidate: true, interfaces: {includes: [lo]}}';
  const server = spawnManaged(
    'livekit',
    requireTool('livekitServer'),
    ['--dev', '--bind', '127.0.0.1', '--port', String(options.port), '--node-ip', '127.0.0.1', '--config-body', rtc],
    options.output,
  );
  await waitUntil(`LiveKit server on 127.0.0.1:${options.port}`, () => tcpReachable(options.port), { process: server });
  return server;
}

export const LIVEKIT_DEV_CREDENTIALS = { apiKey: 'devkey', apiSecret: 'secret' } as const;
