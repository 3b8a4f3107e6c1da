// `npm start`: the whole system on this machine, on loopback, with development-only
// defaults. Starts what is not configured elsewhere: the Temporal dev server (SQLite file,
// Web UI), FerretDB (SQLite), and, without Twilio / LiveKit credentials, the stand-ins at the
// network edge; then the worker and the API. Ctrl-C stops everything it started.
import 'dotenv/config';
import path from 'node:path';
import { DEFAULT_PORTS, startLocalSystem, type LocalSystem } from '../dev/stack/local-system';
import { projectRoot } from '../dev/stack/tools';

let system: LocalSystem | undefined;
let stopping: Promise<void> | undefined;

async function main(): Promise<void> {
  console.log('start: starting Temporal, FerretDB, the edge stand-ins, the worker and the API …');
  system = await startLocalSystem({
    dataDir: path.join(projectRoot, '.data'),
    ports: { ...DEFAULT_PORTS, api: Number(process.env.API_PORT ?? DEFAULT_PORTS.api) },
    env: process.env,
  });
  console.log([
    '',
    '  Payment reminders are running (development-only defaults; see .env.example):',
    ...system.describe,
    `    API key         ${process.env.API_KEYS ? '(API_KEYS)' : 'dev-api-key'}`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'));
  // If the worker or API dies, stop the rest rather than run half a system.
  const ended = await system.exited;
  console.error(`start: the ${ended.name} exited (${ended.exitDescription()}); stopping everything`);
  await stopAll(1);
}

async function stopAll(code: number): Promise<never> {
  stopping ??= system?.stop() ?? Promise.resolve();
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
