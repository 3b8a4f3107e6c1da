// The bench's system: the one `npm start` runs (dev/stack/local-system.ts), on free loopback
// ports with its own data dir, and the bench's own settings: the Temporal dev server headless
// with BENCH_TEMPORAL_SQLITE_PRAGMAS, the worker's BENCH_WORKER_NODE_OPTIONS, the Twilio
// stand-in's BENCH_CALLBACK_DELAY_MS, the workflow bundle a deployed worker loads, and each
// part as a `node --import tsx` process of its own (so /proc shows the part itself). No
// simulated voice agent: the call reminders of section 1 use the number nobody reports on, so
// nothing would be left for it to do except poll LiveKit.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Db, MongoClient } from 'mongodb';
import { startLocalSystem, type LocalSystemPorts } from '../../dev/stack/local-system';
import { freePort, spawnManaged, type ManagedProcess } from '../../dev/stack/processes';
import { projectRoot } from '../../dev/stack/tools';
import { connectMongo } from '../../src/store/mongo';
import { writeWorkflowBundle } from '../../src/worker/bundle-workflows';
import { withWorkerNodeOptions } from '../../src/worker/node-options';
import type { PartGroups } from './proc';
import { benchConfig } from './config';
import type { BenchTarget, ExternalTemporal } from './targets';

export const BENCH_SECRETS = {
  apiKey: 'bench-api-key',
  webhookSecret: 'bench-webhook-secret-0123456789',
  fromNumber: '+15005550006',
};
export const TASK_QUEUE = 'payment-reminders';

export interface Stack {
  target: BenchTarget;
  dataDir: string;
  apiUrl: string;
  temporalAddress: string;
  mongodbUri: string;
  workerMetricsUrl: string;
  client: Client;
  connection: Connection;
  mongo: MongoClient;
  db: Db;
  /** The processes started, by part name (for CPU accounting and RSS). */
  parts: Map<string, ManagedProcess>;
  /** The environment the API and worker got. */
  env: NodeJS.ProcessEnv;
  /** `env` plus the worker's NODE_OPTIONS, for worker processes. */
  workerEnv: NodeJS.ProcessEnv;
  /**
   * Restarts the system's worker with these variables over its environment (for this start
   * only; a restart without them brings back the worker as configured) and waits until it polls.
   */
  restartWorker(overrides?: NodeJS.ProcessEnv): Promise<void>;
  /** Starts a bench-only Node program (bench/…) as its own process group; stopped with the stack. */
  spawnNode(name: string, script: string, env: NodeJS.ProcessEnv): ManagedProcess;
  /** Process-group ids of the parts, for cpuWindow ('temporal': every process of the server). */
  groups(...names: string[]): PartGroups;
  stop(): Promise<void>;
}

/** `node --import tsx <file>`: one process per part, so /proc shows the part itself. */
export function nodeArgs(file: string): string[] {
  const profile = benchConfig.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(benchConfig.cpuProfileDir)}`] : [];
  return [...profile, '--import', 'tsx', path.join(projectRoot, file)];
}

async function freePorts(): Promise<LocalSystemPorts> {
  const [temporal, temporalUi, ferretdb, api, workerMetrics, twilioStandIn, livekit] = await Promise.all(
    Array.from({ length: 7 }, () => freePort()),
  );
  return {
    temporal: temporal!,
    temporalUi: temporalUi!,
    ferretdb: ferretdb!,
    api: api!,
    workerMetrics: workerMetrics!,
    twilioStandIn: twilioStandIn!,
    livekit: livekit!,
  };
}

/** The local system on the dev server it starts, or on `temporal` (the cluster target) when given. */
export async function startStack(log: (line: string) => void, temporal?: ExternalTemporal): Promise<Stack> {
  const target: BenchTarget = temporal ? 'cluster' : 'dev';
  const dataDir = path.join(projectRoot, '.data', temporal ? `bench-${process.pid}-cluster` : `bench-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const ports = await freePorts();
  // As deployed: the worker loads the workflow bundle `npm run build` would write.
  const workflowBundle = path.join(dataDir, 'workflow-bundle.js');
  await writeWorkflowBundle(workflowBundle);

  log(
    `starting the system: ${temporal ? `the Temporal cluster at ${temporal.address}` : `the Temporal dev server (127.0.0.1:${ports.temporal}, SQLite, headless)`}, FerretDB (${ports.ferretdb}), LiveKit (${ports.livekit}), the Twilio stand-in, the worker and the API (separate processes) …`,
  );
  const system = await startLocalSystem({
    dataDir,
    ports,
    logDir: dataDir,
    quietStandIns: true,
    simulatedAgent: false,
    twilioCallbackDelayMs: benchConfig.callbackDelayMs,
    temporal: { headless: true, sqlitePragmas: benchConfig.temporalSqlitePragmas },
    // The old design's collection too, so the comparison in section 1 stays fair.
    moreIdIndexed: { bench_old_design: ['reminders'] },
    workerNodeOptions: benchConfig.workerNodeOptions,
    launch: (script) => ({ command: process.execPath, args: nodeArgs(script) }),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: benchConfig.logLevel,
      API_HOST: '127.0.0.1',
      API_KEYS: BENCH_SECRETS.apiKey,
      // The policy's checks still run (consent, caps, zones); its window does not depend on the hour.
      CONTACT_PROFILE: 'development',
      WEBHOOK_SECRET: BENCH_SECRETS.webhookSecret,
      // Set, the local system starts no dev server and uses this one.
      ...(temporal ? { TEMPORAL_ADDRESS: temporal.address } : {}),
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      TWILIO_FROM_NUMBER: BENCH_SECRETS.fromNumber,
      LIVEKIT_AGENT_NAME: 'bench-agent',
      WORKER_MAX_CACHED_WORKFLOWS: String(benchConfig.maxCachedWorkflows),
      WORKER_WORKFLOW_BUNDLE: workflowBundle,
      // The production defaults: a reminder waits 10 minutes for its report.
      REMINDER_RESPONSE_TIMEOUT: '10 minutes',
      REMINDER_MAX_CALL_DURATION: '30 minutes',
      REMINDER_RETRY_BACKOFF: '15 minutes',
      // Two malloc arenas, as deployed (the Dockerfile says why); `MALLOC_ARENA_MAX=16
      // npm run bench` measures glibc's default on two cores.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    },
  });

  const parts = new Map(system.processes);
  const ownParts = new Set<string>();
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    for (const name of ownParts) await parts.get(name)?.stop();
    await system.stop();
    parts.clear();
    if (!benchConfig.keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const { env } = system;
    // The worker's V8 flags as the system started it; the bare worker gets the same.
    const workerEnv = withWorkerNodeOptions(env, benchConfig.workerNodeOptions);
    const spawnNode = (name: string, script: string, childEnv: NodeJS.ProcessEnv) => {
      const managed = spawnManaged(name, process.execPath, nodeArgs(script), {
        cwd: projectRoot,
        env: childEnv,
        logFile: path.join(dataDir, `${name}.log`),
      });
      parts.set(name, managed);
      ownParts.add(name);
      return managed;
    };

    // The local system starts its worker from its own environment: the overrides are set for
    // the one start and taken back, as the spawned process has its copy by then.
    const restartWorker = async (overrides: NodeJS.ProcessEnv = {}) => {
      const saved = Object.entries(overrides).map(([name]) => [name, env[name]] as const);
      Object.assign(env, overrides);
      try {
        await system.restart('worker');
      } finally {
        for (const [name, value] of saved) {
          if (value === undefined) Reflect.deleteProperty(env, name);
          else env[name] = value;
        }
      }
      parts.set('worker', system.worker);
    };

    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
    cleanups.push(() => connection.close());
    const mongo = await connectMongo(env.MONGODB_URI!);
    cleanups.push(() => mongo.close());

    const partGroups = (name: string): number | number[] | undefined =>
      name === 'temporal' && temporal ? temporal.engineGroups() : parts.get(name)?.child.pid;
    return {
      target,
      dataDir,
      apiUrl: system.apiUrl,
      temporalAddress: env.TEMPORAL_ADDRESS!,
      mongodbUri: env.MONGODB_URI!,
      workerMetricsUrl: `http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`,
      client: new Client({ connection, namespace: 'default' }),
      connection,
      mongo,
      db: mongo.db(),
      parts,
      env,
      workerEnv,
      restartWorker,
      spawnNode,
      groups: (...names) => {
        const groups: PartGroups = {};
        for (const name of names) {
          const pgids = partGroups(name);
          if (pgids !== undefined) groups[name] = pgids;
        }
        return groups;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
