// The bench's own copy of the system, on free loopback ports with its own data dir: the real
// Temporal dev server (SQLite, headless), FerretDB, livekit-server --dev, the API and the
// worker as separate Node processes (as in production), and the Twilio stand-in in this
// process. No simulated voice agent: the call reminders of section 1 use the number nobody
// reports on, so nothing would be left for it to do except poll LiveKit.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Db, MongoClient } from 'mongodb';
import { freePort, spawnManaged, tcpReachable, waitUntil, type ManagedProcess } from '../../dev/stack/processes';
import { APP_COLLECTIONS } from '../../dev/stack/local-system';
import { FERRETDB_URI_OPTIONS, LIVEKIT_DEV_CREDENTIALS, startFerretDb, startLiveKit, startTemporalDevServer } from '../../dev/stack/servers';
import { projectRoot } from '../../dev/stack/tools';
import { waitForPoller } from '../../dev/stack/worker-polling';
import { startTwilioStandIn, type TwilioStandIn } from '../../dev/standins/twilio-standin';
import { connectMongo } from '../../src/store/mongo';
import { writeWorkflowBundle } from '../../src/worker/bundle-workflows';
import { withWorkerNodeOptions } from '../../src/worker/node-options';
import { benchConfig } from './config';

export const BENCH_SECRETS = {
  apiKey: 'bench-api-key',
  webhookSecret: 'bench-webhook-secret-0123456789',
  twilioAccountSid: 'ACbenchonly',
  twilioAuthToken: 'bench-twilio-auth-token',
  fromNumber: '+15005550006',
};
export const TASK_QUEUE = 'payment-reminders';

export interface Stack {
  dataDir: string;
  apiUrl: string;
  temporalAddress: string;
  mongodbUri: string;
  workerMetricsUrl: string;
  client: Client;
  connection: Connection;
  mongo: MongoClient;
  db: Db;
  twilio: TwilioStandIn;
  /** The processes started, by part name (for CPU accounting and RSS). */
  parts: Map<string, ManagedProcess>;
  /** The environment the API and worker got. */
  env: NodeJS.ProcessEnv;
  /** `env` plus the worker's NODE_OPTIONS, for worker processes. */
  workerEnv: NodeJS.ProcessEnv;
  /** Starts a bench-only Node program (bench/…) as its own process group; stopped with the stack. */
  spawnNode(name: string, script: string, env: NodeJS.ProcessEnv): ManagedProcess;
  /** Process-group ids of the parts, for cpuWindow. */
  groups(...names: string[]): Record<string, number>;
  stop(): Promise<void>;
}

/** `node --import tsx <file>`: one process per part, so /proc shows the part itself. */
export function nodeArgs(file: string): string[] {
  const profile = benchConfig.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(benchConfig.cpuProfileDir)}`] : [];
  return [...profile, '--import', 'tsx', path.join(projectRoot, file)];
}

export async function startStack(log: (line: string) => void): Promise<Stack> {
  const dataDir = path.join(projectRoot, '.data', `bench-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const parts = new Map<string, ManagedProcess>();
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    const order = ['api', 'worker', ...[...parts.keys()].filter((name) => name !== 'api' && name !== 'worker')];
    for (const name of order) await parts.get(name)?.stop();
    parts.clear();
    if (!benchConfig.keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const [temporalPort, ferretPort, livekitPort, apiPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const logFile = (name: string) => ({ logFile: path.join(dataDir, `${name}.log`) });
    mkdirSync(dataDir, { recursive: true });

    log(`starting the Temporal dev server (127.0.0.1:${temporalPort}, SQLite), FerretDB (${ferretPort}) and LiveKit (${livekitPort}) …`);
    const [temporalServer, ferretdb, livekit] = await Promise.all([
      startTemporalDevServer({
        port: temporalPort, dbFile: path.join(dataDir, 'temporal.db'), headless: true, output: logFile('temporal'),
        sqlitePragmas: benchConfig.temporalSqlitePragmas,
      }),
      // As `npm start` does: FerretDB finds `_id` through an index, as MongoDB does (the old
      // design's collection too, so the comparison in section 1 stays fair).
      startFerretDb({
        port: ferretPort, dataDir: path.join(dataDir, 'ferretdb'), output: logFile('ferretdb'),
        idIndexed: { payment_reminders: APP_COLLECTIONS, bench_old_design: ['reminders'] },
      }),
      startLiveKit({ port: livekitPort, output: logFile('livekit') }),
    ]);
    parts.set('temporal', temporalServer).set('ferretdb', ferretdb).set('livekit', livekit);

    const twilio = await startTwilioStandIn({
      accountSid: BENCH_SECRETS.twilioAccountSid,
      authToken: BENCH_SECRETS.twilioAuthToken,
      callbackDelayMs: benchConfig.callbackDelayMs,
    });
    cleanups.push(() => twilio.close());

    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const mongodbUri = `mongodb://127.0.0.1:${ferretPort}/payment_reminders?${FERRETDB_URI_OPTIONS}`;
    // As deployed: the worker loads the workflow bundle `npm run build` would write.
    const workflowBundle = path.join(dataDir, 'workflow-bundle.js');
    await writeWorkflowBundle(workflowBundle);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      LOG_LEVEL: benchConfig.logLevel,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      API_KEYS: BENCH_SECRETS.apiKey,
      WEBHOOK_SECRET: BENCH_SECRETS.webhookSecret,
      PUBLIC_BASE_URL: apiUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      MONGODB_URI: mongodbUri,
      TWILIO_ACCOUNT_SID: BENCH_SECRETS.twilioAccountSid,
      TWILIO_AUTH_TOKEN: BENCH_SECRETS.twilioAuthToken,
      TWILIO_FROM_NUMBER: BENCH_SECRETS.fromNumber,
      TWILIO_API_BASE_URL: twilio.url,
      LIVEKIT_URL: `http://127.0.0.1:${livekitPort}`,
      LIVEKIT_API_KEY: LIVEKIT_DEV_CREDENTIALS.apiKey,
      LIVEKIT_API_SECRET: LIVEKIT_DEV_CREDENTIALS.apiSecret,
      LIVEKIT_AGENT_NAME: 'bench-agent',
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_MAX_CACHED_WORKFLOWS: String(benchConfig.maxCachedWorkflows),
      WORKER_WORKFLOW_BUNDLE: workflowBundle,
      // The production defaults: a reminder waits 10 minutes for its report.
      REMINDER_RESPONSE_TIMEOUT: '10 minutes',
      REMINDER_MAX_CALL_DURATION: '30 minutes',
      REMINDER_RETRY_BACKOFF: '15 minutes',
      // Two malloc arenas, as deployed (the Dockerfile says why); `MALLOC_ARENA_MAX=16
      // npm run bench` measures glibc's default on two cores.
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    };

    // The worker's V8 flags as deployed; the bare worker gets the same.
    const workerEnv = withWorkerNodeOptions(env, benchConfig.workerNodeOptions);

    const spawnNode = (name: string, script: string, childEnv: NodeJS.ProcessEnv) => {
      const managed = spawnManaged(name, process.execPath, nodeArgs(script), { cwd: projectRoot, env: childEnv, ...logFile(name) });
      parts.set(name, managed);
      return managed;
    };

    log('starting the worker and the API (separate processes) …');
    const worker = spawnNode('worker', 'src/worker/main.ts', workerEnv);
    const api = spawnNode('api', 'src/api/main.ts', env);

    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const mongo = await connectMongo(mongodbUri);
    cleanups.push(() => mongo.close());

    await waitUntil('the API', () => tcpReachable(apiPort), { process: api, timeoutMs: 120_000 });
    await waitForPoller(connection, TASK_QUEUE, { process: worker });

    return {
      dataDir,
      apiUrl,
      temporalAddress,
      mongodbUri,
      workerMetricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      client,
      connection,
      mongo,
      db: mongo.db(),
      twilio,
      parts,
      env,
      workerEnv,
      spawnNode,
      groups: (...names) => Object.fromEntries(names.filter((name) => parts.has(name)).map((name) => [name, parts.get(name)!.child.pid!])),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
