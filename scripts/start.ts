// `npm start`: the whole system on this machine, on loopback, with development-only
// defaults. Starts what is not configured elsewhere: the Temporal dev server (SQLite file,
// Web UI), FerretDB (SQLite), and, without Twilio / LiveKit credentials, the stand-ins at the
// network edge; then the worker and the API. Ctrl-C stops everything it started.
import 'dotenv/config';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnManaged, tcpReachable, waitUntil, type ManagedProcess } from '../dev/stack/processes';
import { startFerretDb, startTemporalDevServer } from '../dev/stack/servers';
import { projectRoot } from '../dev/stack/tools';
import { startEdgeStandIns } from '../dev/standins/edge-stand-ins';

const dataDir = path.join(projectRoot, '.data');
const ports = { temporal: 7233, temporalUi: 8233, ferretdb: 27017, api: Number(process.env.API_PORT ?? 3000), workerMetrics: 9464 };
const started: ManagedProcess[] = [];
const stops: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'development' };
  env.API_PORT = String(ports.api);
  env.PUBLIC_BASE_URL ??= `http://127.0.0.1:${ports.api}`;
  env.WORKER_METRICS_PORT ??= String(ports.workerMetrics);

  if (!process.env.TEMPORAL_ADDRESS) {
    await ensurePortFree(ports.temporal, 'the Temporal dev server');
    console.log('start: Temporal dev server (SQLite at .data/temporal.db) …');
    started.push(await startTemporalDevServer({
      port: ports.temporal,
      uiPort: ports.temporalUi,
      dbFile: path.join(dataDir, 'temporal.db'),
      output: { logFile: path.join(dataDir, 'temporal.log') },
    }));
    env.TEMPORAL_ADDRESS = `127.0.0.1:${ports.temporal}`;
  }
  if (!process.env.MONGODB_URI) {
    await ensurePortFree(ports.ferretdb, 'FerretDB');
    console.log('start: FerretDB (SQLite under .data/ferretdb) …');
    started.push(await startFerretDb({ port: ports.ferretdb, dataDir: path.join(dataDir, 'ferretdb'), output: { logFile: path.join(dataDir, 'ferretdb.log') } }));
    env.MONGODB_URI = `mongodb://127.0.0.1:${ports.ferretdb}/payment_reminders`;
  }

  const edge = await startEdgeStandIns(env, dataDir);
  started.push(...edge.processes);
  stops.push(edge.stop);

  const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
  const worker = spawnManaged('worker', tsx, [path.join(projectRoot, 'src/worker/main.ts')], { env });
  started.push(worker);
  const api = spawnManaged('api', tsx, [path.join(projectRoot, 'src/api/main.ts')], { env });
  started.push(api);
  await waitUntil('the API', () => tcpReachable(ports.api), { process: api });

  console.log([
    '',
    '  Payment reminders are running (development-only defaults; see .env.example):',
    `    API             http://127.0.0.1:${ports.api}   (GET /readyz, POST /api/reminders with "Authorization: Bearer ${env.API_KEYS ? '<API_KEYS>' : 'dev-api-key'}")`,
    process.env.TEMPORAL_ADDRESS ? `    Temporal        ${process.env.TEMPORAL_ADDRESS} (configured)` : `    Temporal Web UI http://127.0.0.1:${ports.temporalUi}   (gRPC 127.0.0.1:${ports.temporal})`,
    `    MongoDB         ${env.MONGODB_URI}`,
    `    Worker metrics  http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`,
    ...edge.describe,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'));

  // If the worker or API dies, stop the rest rather than run half a system.
  await Promise.race([worker, api].map((child) => new Promise((resolve) => child.child.once("exit", resolve))));
  console.error('start: the worker or the API exited; stopping everything');
  await stopAll(1);
}

async function ensurePortFree(port: number, what: string): Promise<void> {
  if (await tcpReachable(port)) {
    throw new Error(`port ${port} is already in use, so ${what} cannot start (is another \`npm start\` running?)`);
  }
}

let stopping: Promise<void> | undefined;
async function stopAll(code: number): Promise<never> {
  stopping ??= (async () => {
    for (const stop of stops) await stop().catch(() => {});
    for (const server of [...started].reverse()) await server.stop();
  })();
  await stopping;
  process.exit(code);
}

// Ctrl-C reaches this process more than once (npm and tsx relay it too): stop once.
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch(async (error: unknown) => {
  console.error(`start: ${(error as Error).message}`);
  await stopAll(1);
});
