import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import net from 'node:net';

/** A child process started in its own process group, so stopping it leaves no orphans. */
export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** How it ended, when it has: `code 1`, `signal SIGKILL`; undefined while it runs. */
  exitDescription(): string | undefined;
  /** The last lines it wrote (stdout and stderr), so a failure can say why it happened. */
  recentOutput(): string;
  /** Resolves once its output has been read to the end (or a second after it exited). */
  outputDrained(): Promise<void>;
  stop(): Promise<void>;
}

/** How much of a process's output is kept for error messages. */
const RECENT_OUTPUT_BYTES = 4_000;

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append stdout/stderr to this file; otherwise they are prefixed with the name and echoed. */
  logFile?: string;
  /** Discard output entirely. */
  quiet?: boolean;
}

export function spawnManaged(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  guardGroup(child);
  let recent = '';
  const keep = (chunk: Buffer) => (recent = (recent + chunk.toString()).slice(-RECENT_OUTPUT_BYTES));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: 'a' });
    // Two pipes into one file: the first to end must not end the file under the other
    // (a write after end is an error that would take this process down).
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('close', () => log.end());
  } else if (options.quiet) {
    child.stdout.resume();
    child.stderr.resume();
  } else {
    const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, `[${name}] `);
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // 'close' comes after 'exit', once the pipes are read to the end; a grandchild that keeps
  // them open would delay it for ever, hence the second.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const drained = exited.then(() => Promise.race([closed, delay(1_000)]));
  child.once('error', (error) => console.error(`[${name}] failed to start: ${error.message}`));

  const managed: ManagedProcess = {
    name,
    child,
    exitDescription: () => describeExit(child),
    recentOutput: () => recent,
    outputDrained: () => drained,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
      const stopped = await Promise.race([exited.then(() => true), gaveUp]);
      clearTimeout(timer);
      if (!stopped) {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    },
  };
  // A command that could not start has no pid and never exits: there is nothing to stop.
  if (child.pid !== undefined) running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

/** Every managed process this process started that has not exited yet. */
const running = new Set<ManagedProcess>();

/**
 * Stops every managed process still running, including any started while this runs: what a
 * signal during start-up must do, before the parts are handed to whoever would stop them.
 */
export async function stopAllManaged(): Promise<void> {
  while (running.size > 0) await Promise.all([...running].map((managed) => managed.stop()));
}

function describeExit(child: ChildProcess): string | undefined {
  if (child.signalCode !== null) return `signal ${child.signalCode}`;
  if (child.exitCode !== null) return `code ${child.exitCode}`;
  return undefined;
}

/** An error for a process that ended when it should not have, with what it last wrote. */
export async function endedUnexpectedly(managed: ManagedProcess, when: string): Promise<Error> {
  await managed.outputDrained();
  const output = managed.recentOutput().trim();
  return new Error(
    `${managed.name} exited (${managed.exitDescription()}) ${when}; ${output ? `its last output:\n${output}` : 'it wrote nothing'}`,
  );
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Children run in their own process groups (so a Ctrl-C meant for us does not kill them
 * half-way through our shutdown), which also means nothing kills them if we die without
 * stopping them (SIGKILL, a crash). One guard process per parent holds the read end of a pipe
 * only we write to; when we end in any way the pipe closes, and the guard stops every group
 * still registered: SIGTERM, then SIGKILL after 10 s.
 */
let guard: ChildProcess | undefined;
const GUARD_SCRIPT = `
const groups = new Set();
let pending = '';
const each = (signal) => groups.forEach((group) => { try { process.kill(-group, signal); } catch { groups.delete(group); } });
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (pending + chunk).split('\\n');
  pending = lines.pop();
  for (const line of lines) (line[0] === '+' ? groups.add(Number(line.slice(1))) : groups.delete(Number(line.slice(1))));
});
process.stdin.on('end', () => {
  each('SIGTERM');
  const deadline = Date.now() + 10000;
  setInterval(() => {
    each(0);
    if (groups.size === 0 || Date.now() > deadline) { each('SIGKILL'); process.exit(0); }
  }, 100);
});
`;

function guardGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  if (!guard || guard.exitCode !== null || guard.signalCode !== null) {
    guard = spawn(process.execPath, ['-e', GUARD_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    guard.on('error', () => {});
    guard.stdin!.on('error', () => {});
    // The guard must never keep this process alive: it only acts once we are gone.
    guard.unref();
    (guard.stdin as unknown as { unref(): void }).unref();
  }
  const pipe = guard.stdin!;
  const group = child.pid;
  pipe.write(`+${group}\n`);
  child.once('exit', () => pipe.writable && pipe.write(`-${group}\n`));
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ports this process has handed out already (two parts of one stack must not share one). */
const handedOut = new Set<number>();

/**
 * A port that is free on loopback right now, from below the kernel's ephemeral range.
 *
 * A port from `listen(0)` comes from that range, and so does the local port of every outgoing
 * connection: between this call and the server's own bind, another process's connection can
 * take it (the worker then failed with "Address already in use" under a busy test run). Ports
 * below the range are only ever taken by an explicit bind, which the check here sees.
 */
export async function freePort(): Promise<number> {
  const { low, high } = unassignedRange();
  for (let tries = 0; tries < 200; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    if (await canListen(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port between ${low} and ${high}`);
}

function unassignedRange(): { low: number; high: number } {
  let ephemeralLow = 32_768; // Linux's default, and what other systems use or exceed
  try {
    ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // Not Linux: keep the default.
  }
  return ephemeralLow > 12_000 ? { low: 10_000, high: ephemeralLow } : { low: 61_000, high: 65_535 };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `probe` until it resolves true, failing with a message that names the server. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  { timeoutMs = 60_000, process: managed }: { timeoutMs?: number; process?: ManagedProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (managed?.exitDescription()) throw await endedUnexpectedly(managed, `before ${what} was ready`);
    if (await probe().catch(() => false)) return;
    await delay(200);
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000}s`);
}

export function tcpReachable(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
