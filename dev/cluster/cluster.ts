// The production topology on this machine, what `npm run cluster` runs: the Temporal server on
// PostgreSQL (four services, each its own process, and the Web UI), FerretDB, the edge
// stand-ins as `npm start` runs them, and the application scaled out: two reminder workers
// and two API instances, each a process with its own ports.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { startEdgeStandIns, type EdgeStandInOptions } from '../standins/edge-stand-ins';
import type { TwilioStandIn } from '../standins/twilio-standin';
import { withWorkerNodeOptions } from '../../src/worker/node-options';
import { startAppStore } from '../stack/local-system';
import { delay, endedUnexpectedly, spawnManaged, tcpReachable, waitUntil, type ManagedProcess } from '../stack/processes';
import { FERRETDB_URI_OPTIONS } from '../stack/servers';
import { projectRoot } from '../stack/tools';
import { waitForPoller } from '../stack/worker-polling';
import { NAMESPACE, startTemporalCluster, type TemporalCluster } from './temporal-cluster';
import { TEMPORAL_SERVICES, type TemporalClusterPorts, type TemporalService } from './temporal-config';

export interface ClusterPorts extends TemporalClusterPorts {
  ferretdb: number;
  twilioStandIn: number;
  livekit: number;
  /** One per API instance, and one metrics port per worker. */
  apis: number[];
  workerMetrics: number[];
}

/** How many of each the cluster runs: what a user scaling out on one machine would start. */
export const INSTANCES = { workers: 2, apis: 2 } as const;

/**
 * `npm start`'s ports plus `offset` (so both can run side by side), and for the Temporal
 * services the ports of the module's development config plus the same offset.
 */
export function clusterPorts(offset = 10_000): ClusterPorts {
  const service = (grpc: number, membership: number, metrics: number) => ({
    grpc: grpc + offset,
    membership: membership + offset,
    metrics: metrics + offset,
  });
  return {
    postgres: 5432 + offset,
    services: {
      frontend: service(7233, 6933, 8000),
      history: service(7234, 6934, 8001),
      matching: service(7235, 6935, 8002),
      worker: service(7239, 6939, 8003),
    },
    frontendHttp: 7243 + offset,
    ui: 8233 + offset,
    ferretdb: 27017 + offset,
    twilioStandIn: 3100 + offset,
    livekit: 7880 + offset,
    apis: Array.from({ length: INSTANCES.apis }, (_, index) => 3000 + offset + index),
    workerMetrics: Array.from({ length: INSTANCES.workers }, (_, index) => 9464 + offset + index),
  };
}

export function allPorts(ports: ClusterPorts): number[] {
  const services = Object.values(ports.services).flatMap(({ grpc, membership, metrics }) => [grpc, membership, metrics]);
  return [
    ports.postgres,
    ...services,
    ports.frontendHttp,
    ports.ui,
    ports.ferretdb,
    ports.twilioStandIn,
    ports.livekit,
    ...ports.apis,
    ...ports.workerMetrics,
  ];
}

export interface ClusterOptions {
  dataDir: string;
  ports: ClusterPorts;
  /** The environment the APIs and workers get (config variables). */
  env: NodeJS.ProcessEnv;
  /** Called when a worker or an API exits while the cluster runs (the others keep running), not by `restart`. */
  onAppExit?: (process: ManagedProcess) => void;
  /** How the edge stand-ins run (quiet for load and fault runs). */
  edge?: EdgeStandInOptions;
}

export interface Cluster {
  temporal: TemporalCluster;
  apiUrls: string[];
  describe: string[];
  /** Every process it started, by name ('worker-1', 'api-2', 'temporal-history', 'postgres', …). */
  processes: Map<string, ManagedProcess>;
  /** The Twilio stand-in, when no Twilio credentials were configured. */
  twilioStandIn?: TwilioStandIn;
  /**
   * Stops one part with `signal` (SIGTERM, or SIGKILL for a crash, SIGINT for PostgreSQL's
   * fast shutdown), keeps it down `downMs`, and starts it again on the same ports and data,
   * as a supervisor would; the other parts keep running. Resolves once it is ready again.
   * Parts: 'postgres', 'temporal-<service>', 'ferretdb', 'worker-<n>', 'api-<n>'.
   */
  restart(name: string, options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { dataDir, ports } = options;
  mkdirSync(dataDir, { recursive: true });
  const busy = (await Promise.all(allPorts(ports).map(async (port) => ((await tcpReachable(port)) ? [port] : [])))).flat();
  if (busy.length > 0) {
    throw new Error(`ports ${busy.join(', ')} are in use (is another \`npm run cluster\` running? CLUSTER_PORT_OFFSET moves them all)`);
  }

  const processes = new Map<string, ManagedProcess>();
  const stops: (() => Promise<void>)[] = [];
  /** Parts being restarted: their exit is the fault's, not one to report. */
  const restarting = new Set<string>();
  let stopped = false;
  const stop = async () => {
    stopped = true;
    const apps = [...processes.keys()].filter((name) => /^(api|worker)-/.test(name));
    await Promise.all(apps.map((name) => processes.get(name)!.stop()));
    for (const stopPart of stops.reverse()) await stopPart().catch(() => {});
  };

  try {
    const temporal = await startTemporalCluster({ dataDir, ports });
    stops.push(() => temporal.stop());
    temporal.processes.forEach((process, name) => processes.set(name, process));

    const startStore = async () => processes.set('ferretdb', await startAppStore(dataDir, ports.ferretdb));
    await startStore();
    stops.push(() => processes.get('ferretdb')!.stop());

    // Two malloc arenas, as deployed (the Dockerfile says why).
    const env: NodeJS.ProcessEnv = { MALLOC_ARENA_MAX: '2', ...options.env, NODE_ENV: options.env.NODE_ENV ?? 'development' };
    env.TEMPORAL_ADDRESS = temporal.address;
    env.TEMPORAL_NAMESPACE = NAMESPACE;
    env.MONGODB_URI = `mongodb://127.0.0.1:${ports.ferretdb}/payment_reminders?${FERRETDB_URI_OPTIONS}`;
    env.API_PORT = String(ports.apis[0]);
    const edge = await startEdgeStandIns(env, dataDir, { twilioPort: ports.twilioStandIn, livekitPort: ports.livekit }, options.edge);
    edge.processes.forEach((process) => processes.set(process.name, process));
    stops.push(async () => {
      await edge.stop();
      // The agent before LiveKit, which it would otherwise try to reconnect to.
      for (const process of [...edge.processes].reverse()) await process.stop();
    });

    const apiUrl = (index: number) => `http://127.0.0.1:${ports.apis[index]}`;
    const startApp = async (role: 'worker' | 'api', index: number) => {
      const name = `${role}-${index + 1}`;
      // Worker n names API n in its callback URLs, so the provider's callbacks reach both APIs,
      // and each API checks Twilio's signature against the URL it was sent to.
      const appEnv: NodeJS.ProcessEnv = {
        ...env,
        API_PORT: String(ports.apis[index % ports.apis.length]),
        PUBLIC_BASE_URL: apiUrl(index % ports.apis.length),
      };
      if (role === 'worker') appEnv.WORKER_METRICS_PORT = String(ports.workerMetrics[index]);
      // `node --import tsx` (not the tsx CLI): one process, so its pid is the worker's poller identity.
      const startedAt = Date.now();
      const app = spawnManaged(name, process.execPath, ['--import', 'tsx', path.join(projectRoot, `src/${role}/main.ts`)], {
        cwd: projectRoot,
        env: role === 'worker' ? withWorkerNodeOptions(appEnv) : appEnv,
        logFile: path.join(dataDir, `${name}.log`),
      });
      processes.set(name, app);
      app.child.once('exit', () => stopped || restarting.has(name) || options.onAppExit?.(app));
      if (role === 'api') {
        await waitUntil(`${name} on ${apiUrl(index)}`, () => tcpReachable(ports.apis[index]!), { process: app, timeoutMs: 90_000 });
        return;
      }
      const connection = await Connection.connect({ address: temporal.address });
      try {
        await waitForPoller(connection, env.TEMPORAL_TASK_QUEUE ?? 'payment-reminders', {
          namespace: NAMESPACE,
          process: app,
          since: startedAt,
          pid: app.child.pid,
          timeoutMs: 180_000,
        });
      } finally {
        await connection.close();
      }
    };
    await Promise.all([
      ...Array.from({ length: INSTANCES.workers }, (_, index) => startApp('worker', index)),
      ...Array.from({ length: INSTANCES.apis }, (_, index) => startApp('api', index)),
    ]);

    const startPart = async (name: string) => {
      const app = /^(worker|api)-(\d+)$/.exec(name);
      if (app) return startApp(app[1] as 'worker' | 'api', Number(app[2]) - 1);
      if (name === 'ferretdb') return void (await startStore());
      if (name === 'postgres') await temporal.startDatabase();
      else await temporal.startService(name.replace(/^temporal-/, '') as TemporalService);
      processes.set(name, temporal.processes.get(name)!);
    };
    const restartable = new Set([
      'postgres',
      'ferretdb',
      ...TEMPORAL_SERVICES.map((service) => `temporal-${service}`),
      ...[...processes.keys()].filter((name) => /^(worker|api)-/.test(name)),
    ]);
    const apiUrls = ports.apis.map((_, index) => apiUrl(index));
    return {
      temporal,
      apiUrls,
      processes,
      twilioStandIn: edge.twilioStandIn,
      async restart(name, { signal = 'SIGTERM', downMs = 0 } = {}) {
        const current = processes.get(name);
        if (!current || !restartable.has(name))
          throw new Error(`the cluster cannot restart ${name} (it restarts ${[...restartable].join(', ')})`);
        // A fault injected into a part that already died would test nothing: say why it died.
        if (current.exitDescription()) throw await endedUnexpectedly(current, 'before it was restarted');
        restarting.add(name);
        try {
          if (signal !== 'SIGTERM') process.kill(-current.child.pid!, signal);
          await current.stop();
          if (downMs > 0) await delay(downMs);
          await startPart(name);
        } finally {
          restarting.delete(name);
        }
      },
      stop,
      describe: [
        ...apiUrls.map((url, index) => `    API ${index + 1}           ${url}   (GET /readyz, GET /metrics, /api/reminders)`),
        ...ports.workerMetrics.map((port, index) => `    Worker ${index + 1}        metrics http://127.0.0.1:${port}/metrics`),
        ...temporal.describe,
        `    MongoDB         ${env.MONGODB_URI} (FerretDB)`,
        ...edge.describe,
        `    Logs            ${path.relative(projectRoot, dataDir)}/*.log`,
      ],
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
