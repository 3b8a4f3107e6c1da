import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, tcpReachable } from '../../dev/stack/processes';
import { projectRoot } from '../../dev/stack/tools';

/**
 * The real `npm start`, on ports and a data folder of its own (so a developer's running one is
 * untouched), stopped the ways a person or a supervisor stops it: whatever the signal reaches,
 * every process it started ends and every port it listened on is free again.
 */
describe('npm start stopped by a signal', () => {
  let running: StartedSystem | undefined;
  afterEach(() => {
    running?.forceStop();
    running = undefined;
  });

  it('stops everything on SIGTERM to the npm process (a supervisor, `kill <pid>`)', async () => {
    running = await startNpmStart();
    process.kill(running.npm.pid!, 'SIGTERM');
    await running.expectAllGone();
  }, 300_000);

  it('stops everything on SIGINT to the start script itself', async () => {
    running = await startNpmStart();
    process.kill(running.scriptPid, 'SIGINT');
    await running.expectAllGone();
  }, 300_000);

  it('stops everything on Ctrl-C (SIGINT to the whole foreground process group)', async () => {
    running = await startNpmStart();
    process.kill(-running.npm.pid!, 'SIGINT');
    await running.expectAllGone();
  }, 300_000);
});

interface StartedSystem {
  npm: ChildProcess;
  /** The process running scripts/start.ts. */
  scriptPid: number;
  expectAllGone(): Promise<void>;
  forceStop(): void;
}

const READY_LINE = 'Payment reminders are running';

async function startNpmStart(): Promise<StartedSystem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'npm-start-signals-'));
  const ports = {
    API_PORT: await freePort(),
    WORKER_METRICS_PORT: await freePort(),
    START_TEMPORAL_PORT: await freePort(),
    START_TEMPORAL_UI_PORT: await freePort(),
    START_FERRETDB_PORT: await freePort(),
    START_TWILIO_STANDIN_PORT: await freePort(),
    START_LIVEKIT_PORT: await freePort(),
  };
  // What the jest setup points tests at must not leak in: this system starts its own servers.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', START_DATA_DIR: dataDir };
  for (const name of ['TEMPORAL_ADDRESS', 'MONGODB_URI', 'TWILIO_ACCOUNT_SID', 'LIVEKIT_URL']) delete env[name];
  for (const [name, port] of Object.entries(ports)) env[name] = String(port);

  // Its own process group, as a shell gives a foreground job: Ctrl-C is a signal to that group.
  const npm = spawn('npm', ['start'], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready within 240 s; its output:\n${output}`)), 240_000);
    const check = () => {
      if (output.includes(READY_LINE)) done(resolve);
    };
    const done = (settle: () => void) => {
      clearTimeout(timer);
      npm.stdout.off('data', check);
      npm.off('exit', failed);
      settle();
    };
    const failed = () => done(() => reject(new Error(`npm start exited before it was ready; its output:\n${output}`)));
    npm.stdout.on('data', check);
    npm.once('exit', failed);
  });
  try {
    await ready;
  } catch (error) {
    killAll([npm.pid!, ...descendants(npm.pid!)]);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  const started = descendants(npm.pid!);
  const script = started.find((pid) => commandLine(pid).includes('scripts/start.ts'));
  if (script === undefined) throw new Error(`no process runs scripts/start.ts among ${started.map(describeProcess).join(', ')}`);
  // It runs on the ports it was given, so the checks after the signal look at the right ones.
  const notListening: string[] = [];
  for (const [name, port] of Object.entries(ports)) if (!(await tcpReachable(port))) notListening.push(name);
  expect(notListening).toEqual([]);

  return {
    npm,
    scriptPid: script,
    async expectAllGone() {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 60_000)))]);
      clearTimeout(timer);
      // A clean stop, not a crash or a kill.
      expect({ code: npm.exitCode, signal: npm.signalCode }).toEqual({ code: 0, signal: null });
      // The orphan guard and the last children may need a moment after npm itself is gone.
      const deadline = Date.now() + 20_000;
      let left = started.filter(isRunning);
      while (left.length > 0 && Date.now() < deadline) {
        await delay(200);
        left = started.filter(isRunning);
      }
      expect(left.map(describeProcess)).toEqual([]);
      const listening: number[] = [];
      for (const port of Object.values(ports)) if (await tcpReachable(port)) listening.push(port);
      expect(listening).toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    },
    forceStop() {
      killAll(started.filter(isRunning));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** After a failed test: nothing it started may outlive it. */
function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Every process below `root`, found by parent pid (the parts run in process groups of their own). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = statFields(Number(entry))?.[1];
    if (parent === undefined) continue;
    children.set(Number(parent), [...(children.get(Number(parent)) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** Fields 3 onward of /proc/<pid>/stat (state, ppid, pgrp, …); undefined once it is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** A zombie has ended (it only waits for a parent to read its status) and holds no port. */
const isRunning = (pid: number) => {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
};

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

const describeProcess = (pid: number) => `${pid} (${commandLine(pid).slice(0, 120)})`;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
