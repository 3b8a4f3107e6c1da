// The whole system as real processes on loopback: what `npm start` runs, and what the demo,
// benchmark and fault-injection scripts start with their own ports, data and timings.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startEdgeStandIns } from '../standins/edge-stand-ins';
import type { TwilioStandIn } from '../standins/twilio-standin';
import { COLLECTIONS } from '../../src/store/collections';
import { withWorkerNodeOptions } from '../../src/worker/node-options';
import { endedUnexpectedly, spawnManaged, tcpReachable, waitUntil, type ManagedProcess } from './processes';
import { FERRETDB_URI_OPTIONS, startFerretDb, startTemporalDevServer } from './servers';
import { projectRoot } from './tools';
import { waitForPoller } from './worker-polling';

/** The collections the API and worker keep (all read and written by `_id`). */
export const APP_COLLECTIONS: string[] = Object.values(COLLECTIONS);

export interface LocalSystemPorts {
  temporal: number;
  temporalUi: number;
  ferretdb: number;
  api: number;
  workerMetrics: number;
  twilioStandIn: number;
  livekit: number;
}

export const DEFAULT_PORTS: LocalSystemPorts = {
  temporal: 7233,
  temporalUi: 8233,
  ferretdb: 27017,
  api: 3000,
  workerMetrics: 9464,
  twilioStandIn: 3100,
  livekit: 7880,
};

export interface LocalSystemOptions {
  dataDir: string;
  ports: LocalSystemPorts;
  /** The environment the API and worker get (config variables); what it sets is not started. */
  env: NodeJS.ProcessEnv;
  /** Where the API and worker write their logs; echoed with a prefix when absent. */
  logDir?: string;
  /** Do not echo what the stand-ins do (for load and fault runs). */
  quietStandIns?: boolean;
  /** The Twilio stand-in's delay before each status callback (1 s unless given). */
  twilioCallbackDelayMs?: number;
  /** Run the voice agent beside LiveKit (the default; the bench does not): the real Python agent, its callee and model stood in. */
  simulatedAgent?: boolean;
  /** The Temporal dev server without its Web UI, and its SQLite pragmas (the bench's knobs). */
  temporal?: { headless?: boolean; sqlitePragmas?: readonly string[] };
  /** Further collections, by database, to give the `_id` look-up index (see ferretdb-id-index.ts). */
  moreIdIndexed?: Record<string, string[]>;
  /** The worker's V8 flags (src/worker/node-options.ts unless given; '' = V8's defaults). */
  workerNodeOptions?: string;
  /**
   * How the API and the worker run: through the tsx CLI unless given. The bench runs
   * `node --import tsx` so that each part is one process /proc can measure.
   */
  launch?: (script: string) => { command: string; args: string[] };
}

export interface LocalSystem {
  env: NodeJS.ProcessEnv;
  apiUrl: string;
  webUiUrl?: string;
  describe: string[];
  /** The Twilio stand-in, when no Twilio credentials were configured. */
  twilioStandIn?: TwilioStandIn;
  worker: ManagedProcess;
  api: ManagedProcess;
  /** Every process it started, by name ('temporal', 'ferretdb', 'livekit', 'worker', 'api'). */
  processes: ReadonlyMap<string, ManagedProcess>;
  /** Restarts a part (for fault injection), after `downMs` stopped; the others keep running. */
  restart(part: 'worker' | 'api' | 'temporal' | 'ferretdb', options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
  /** Resolves with the worker or the API when it exits on its own. */
  exited: Promise<ManagedProcess>;
  stop(): Promise<void>;
}

/**
 * The app's MongoDB-wire store: FerretDB with its data and log under `dataDir`, its
 * collections' `_id` look-ups indexed (and `moreIdIndexed`'s), as every local system runs it.
 */
export function startAppStore(dataDir: string, port: number, moreIdIndexed?: Record<string, string[]>): Promise<ManagedProcess> {
  return startFerretDb({
    port,
    dataDir: path.join(dataDir, 'ferretdb'),
    output: { logFile: path.join(dataDir, 'ferretdb.log') },
    idIndexed: { payment_reminders: APP_COLLECTIONS, ...moreIdIndexed },
  });
}

export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const { dataDir, ports } = options;
  mkdirSync(dataDir, { recursive: true });
  // Two malloc arenas, as deployed (the Dockerfile says why).
  const env: NodeJS.ProcessEnv = { MALLOC_ARENA_MAX: '2', ...options.env, NODE_ENV: options.env.NODE_ENV ?? 'development' };
  env.API_PORT = String(ports.api);
  env.PUBLIC_BASE_URL ??= `http://127.0.0.1:${ports.api}`;
  env.WORKER_METRICS_PORT ??= String(ports.workerMetrics);
  const servers = new Map<string, ManagedProcess>();
  const stops: (() => Promise<void>)[] = [];
  const describe: string[] = [];
  const restarting = new Set<string>();
  let twilioStandIn: TwilioStandIn | undefined;
  let stopped = false;
  let appExited!: (process: ManagedProcess) => void;
  const exited = new Promise<ManagedProcess>((resolve) => (appExited = resolve));

  const startTemporal = async () =>
    servers.set(
      'temporal',
      await startTemporalDevServer({
        port: ports.temporal,
        uiPort: ports.temporalUi,
        dbFile: path.join(dataDir, 'temporal.db'),
        output: { logFile: path.join(dataDir, 'temporal.log') },
        ...options.temporal,
      }),
    );
  const startMongo = async () => servers.set('ferretdb', await startAppStore(dataDir, ports.ferretdb, options.moreIdIndexed));
  const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
  const launch = options.launch ?? ((script: string) => ({ command: tsx, args: [path.join(projectRoot, script)] }));
  const output = (name: string) => (options.logDir ? { logFile: path.join(options.logDir, `${name}.log`) } : {});
  /**
   * Starts the worker or the API and resolves once it is ready. The API is ready when it
   * listens. The worker is ready when it polls (connected, workflows bundled, taking tasks):
   * until then a reminder waits in the task queue, and a fault injected "in flight" would hit
   * a worker still starting. The poll must be this process's, as the server lists a dead
   * worker's pollers for minutes.
   */
  const startApp = async (name: 'worker' | 'api'): Promise<void> => {
    const startedAt = Date.now();
    const processEnv = name === 'worker' ? withWorkerNodeOptions(env, options.workerNodeOptions) : env;
    const { command, args } = launch(`src/${name}/main.ts`);
    const process = spawnManaged(name, command, args, { cwd: projectRoot, env: processEnv, ...output(name) });
    process.child.once('exit', () => {
      if (!stopped && !restarting.has(name)) appExited(process);
    });
    servers.set(name, process);
    if (name === 'api') {
      await waitUntil('the API', () => tcpReachable(ports.api), { process, timeoutMs: 90_000 });
      return;
    }
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
    try {
      await waitForPoller(connection, env.TEMPORAL_TASK_QUEUE ?? 'payment-reminders', {
        namespace: env.TEMPORAL_NAMESPACE ?? 'default',
        process,
        since: startedAt,
        timeoutMs: 180_000,
      });
    } finally {
      await connection.close();
    }
  };

  try {
    if (!options.env.TEMPORAL_ADDRESS) {
      await ensurePortFree(ports.temporal, 'the Temporal dev server');
      await startTemporal();
      env.TEMPORAL_ADDRESS = `127.0.0.1:${ports.temporal}`;
      describe.push(
        `    Temporal Web UI http://127.0.0.1:${ports.temporalUi}   (gRPC ${env.TEMPORAL_ADDRESS}; SQLite at ${path.relative(projectRoot, dataDir)}/temporal.db)`,
      );
    } else {
      describe.push(`    Temporal        ${env.TEMPORAL_ADDRESS} (configured)`);
    }
    if (!options.env.MONGODB_URI) {
      await ensurePortFree(ports.ferretdb, 'FerretDB');
      await startMongo();
      env.MONGODB_URI = `mongodb://127.0.0.1:${ports.ferretdb}/payment_reminders?${FERRETDB_URI_OPTIONS}`;
    }
    describe.push(`    MongoDB         ${env.MONGODB_URI}`);
    const edge = await startEdgeStandIns(
      env,
      dataDir,
      { twilioPort: ports.twilioStandIn, livekitPort: ports.livekit },
      {
        quiet: options.quietStandIns,
        twilioCallbackDelayMs: options.twilioCallbackDelayMs,
        simulatedAgent: options.simulatedAgent,
      },
    );
    edge.processes.forEach((process) => servers.set(process.name, process));
    stops.push(edge.stop);
    twilioStandIn = edge.twilioStandIn;
    describe.push(...edge.describe);

    await Promise.all([startApp('worker'), startApp('api')]);
  } catch (error) {
    await stopAll();
    throw error;
  }

  async function stopAll() {
    stopped = true;
    for (const stop of stops) await stop().catch(() => {});
    for (const name of ['api', 'worker', ...[...servers.keys()].filter((key) => key !== 'api' && key !== 'worker')]) {
      await servers.get(name)?.stop();
    }
  }

  return {
    env,
    apiUrl: `http://127.0.0.1:${ports.api}`,
    webUiUrl: options.env.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${ports.temporalUi}`,
    twilioStandIn,
    describe: [
      `    API             http://127.0.0.1:${ports.api}   (GET /readyz, GET /metrics, /api/reminders)`,
      ...describe,
      `    Worker metrics  http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`,
    ],
    get worker() {
      return servers.get('worker')!;
    },
    get api() {
      return servers.get('api')!;
    },
    processes: servers,
    exited,
    async restart(part, { signal = 'SIGTERM', downMs = 0 } = {}) {
      const current = servers.get(part)!;
      // A fault injected into a part that already died would test nothing: say why it died.
      if (current.exitDescription()) throw await endedUnexpectedly(current, 'before it was restarted');
      restarting.add(part);
      if (signal === 'SIGKILL') process.kill(-current.child.pid!, 'SIGKILL');
      await current.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      if (part === 'temporal') await startTemporal();
      else if (part === 'ferretdb') await startMongo();
      else await startApp(part);
      restarting.delete(part);
    },
    stop: stopAll,
  };
}

async function ensurePortFree(port: number, what: string): Promise<void> {
  if (await tcpReachable(port)) {
    throw new Error(`port ${port} is already in use, so ${what} cannot start (is another \`npm start\` running?)`);
  }
}
