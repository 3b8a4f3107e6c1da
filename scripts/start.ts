// `npm start`: the whole system on this machine, on loopback, with development-only
// defaults. Starts what is not configured elsewhere: the Temporal dev server (SQLite file,
// Web UI), FerretDB (SQLite), and, without Twilio / LiveKit credentials, the stand-ins at the
// network edge; then the worker and the API. Ctrl-C, or SIGINT or SIGTERM to npm or to this
// process, stops everything it started.
//
// package.json runs this as `exec node --import tsx scripts/start.ts`: npm relays a signal only
// to the shell it spawned, and dash neither relays it nor execs a lone command, so a wrapper
// in between (the shell, the tsx CLI) would die and leave this process and its children running.
import 'dotenv/config';
import path from 'node:path';
import { DEFAULT_PORTS, startLocalSystem, type LocalSystem, type LocalSystemPorts } from '../dev/stack/local-system';
import { stopAllManaged } from '../dev/stack/processes';
import { runUntilStopped, type StopAll } from '../dev/stack/run-until-stopped';
import { projectRoot } from '../dev/stack/tools';
import { loadConfig } from '../src/config/load-config';
import { profileFor } from '../src/policy/profiles';

async function main(started: (system: LocalSystem) => void, stopAll: StopAll): Promise<void> {
  console.log('start: starting Temporal, FerretDB, the edge stand-ins, the worker and the API …');
  const system = await startLocalSystem({
    dataDir: process.env.START_DATA_DIR ? path.resolve(process.env.START_DATA_DIR) : path.join(projectRoot, '.data'),
    ports: portsFromEnv(),
    env: process.env,
  });
  started(system);
  console.log(
    [
      '',
      '  Payment reminders are running (development-only defaults; see .env.example):',
      ...system.describe,
      `    API key         ${process.env.API_KEYS ? '(API_KEYS)' : 'dev-api-key'}`,
      `    Contact profile ${contactProfileLine()}`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  // If the worker or API dies, stop the rest rather than run half a system.
  const ended = await system.exited;
  console.error(`start: the ${ended.name} exited (${ended.exitDescription()}); stopping everything`);
  await stopAll(1);
}

/** The default ports, each movable by its variable (a second system beside a running one, as the tests start). */
function portsFromEnv(): LocalSystemPorts {
  const variables: Record<keyof LocalSystemPorts, string> = {
    api: 'API_PORT',
    workerMetrics: 'WORKER_METRICS_PORT',
    temporal: 'START_TEMPORAL_PORT',
    temporalUi: 'START_TEMPORAL_UI_PORT',
    ferretdb: 'START_FERRETDB_PORT',
    twilioStandIn: 'START_TWILIO_STANDIN_PORT',
    livekit: 'START_LIVEKIT_PORT',
  };
  const ports = { ...DEFAULT_PORTS };
  for (const [part, variable] of Object.entries(variables) as [keyof LocalSystemPorts, string][]) {
    const value = process.env[variable];
    if (!value) continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${variable}=${value} is not a port`);
    ports[part] = port;
  }
  return ports;
}

runUntilStopped('start', main, stopAllManaged);

/**
 * Which contact rules the worker applies (the configured profile, narrowed as configured), said
 * at start: at night the US window is closed, and reminders wait. The worker has validated the
 * same environment by now, so this reads it as the worker did.
 */
function contactProfileLine(): string {
  const { config } = loadConfig(process.env);
  const profile = profileFor({ configured: config.contactProfile, window: config.contactWindow });
  const hint =
    profile.name === 'development' ? '' : ' (reminders outside these hours wait; CONTACT_PROFILE=development contacts at any hour)';
  return `${profile.name}: ${profile.description}${hint}`;
}
