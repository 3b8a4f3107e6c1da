// What /proc says about the processes the bench started: CPU time per process group (to see
// who used the two cores during a pass) and resident memory (VmRSS, VmHWM).
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** utime + stime of one process, in seconds; undefined once it is gone. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the rest follows the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // fields 14 and 15 of the whole line
  } catch {
    return undefined;
  }
}

function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

/** Every live process whose process group is `pgid` (spawnManaged starts each part as a group leader). */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (processGroupOf(pid) === pgid) pids.push(pid);
  }
  return pids;
}

/** Seconds every thread of a process spent waiting on a run queue (ready, but no core free). */
function processRunQueueSeconds(pid: number): number {
  let total = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[1] ?? 0) / 1e9;
      } catch {
        // the thread ended
      }
    }
  } catch {
    // the process ended
  }
  return total;
}

export function groupRunQueueSeconds(pgid: number): number {
  return groupMembers(pgid).reduce((sum, pid) => sum + processRunQueueSeconds(pid), 0);
}

/** CPU seconds of a process group (a part and, e.g., tsx's esbuild helper). */
export function groupCpuSeconds(pgid: number): number {
  return groupMembers(pgid).reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

/** VmRSS and VmHWM (peak) of one process, in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

export interface CpuShare {
  /** Seconds of wall time the window lasted. */
  seconds: number;
  /** Per part: percent of one core (200% = both cores of this machine). */
  parts: Record<string, number>;
  /** Everything else on the machine (other developers' tests, the kernel). */
  others: number;
  /** Machine total, percent of one core. */
  machine: number;
  /** Per part: time its threads were ready to run but waited for a core, percent of the window. */
  runQueueWait: Record<string, number>;
}

/**
 * A part's process groups by its name: one for most parts; the Temporal cluster is one part
 * made of several (its four services and PostgreSQL), as the dev server is one process.
 */
export type PartGroups = Record<string, number | readonly number[]>;

const sumOver = (pgids: number | readonly number[], measure: (pgid: number) => number) =>
  (typeof pgids === 'number' ? [pgids] : pgids).reduce((sum, pgid) => sum + measure(pgid), 0);

/**
 * Measures who used the CPU during a window: call it before, then call the returned function
 * after. `groups` maps a part's name to its process groups; the bench process counts as 'bench'.
 */
export function cpuWindow(groups: PartGroups): () => CpuShare {
  const startedAt = process.hrtime.bigint();
  const machineBefore = machineCpuSeconds();
  const before = Object.fromEntries(Object.entries(groups).map(([name, pgids]) => [name, sumOver(pgids, groupCpuSeconds)]));
  const waitBefore = Object.fromEntries(Object.entries(groups).map(([name, pgids]) => [name, sumOver(pgids, groupRunQueueSeconds)]));
  const benchBefore = process.cpuUsage();
  return () => {
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const machineAfter = machineCpuSeconds();
    const bench = process.cpuUsage(benchBefore);
    const parts: Record<string, number> = { bench: ((bench.user + bench.system) / 1e6 / seconds) * 100 };
    const runQueueWait: Record<string, number> = {};
    for (const [name, pgids] of Object.entries(groups)) {
      parts[name] = ((sumOver(pgids, groupCpuSeconds) - before[name]!) / seconds) * 100;
      runQueueWait[name] = ((sumOver(pgids, groupRunQueueSeconds) - waitBefore[name]!) / seconds) * 100;
    }
    const machine = ((machineAfter.busy - machineBefore.busy) / seconds) * 100;
    const ours = Object.values(parts).reduce((a, b) => a + b, 0);
    return { seconds, parts, others: Math.max(machine - ours, 0), machine, runQueueWait };
  };
}

/** Waits until the given groups use less than `percent` of a core each over one second (backlogs drained). */
export async function waitUntilIdle(groups: PartGroups, { percent = 15, timeoutMs = 60_000 } = {}): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const end = cpuWindow(groups);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const share = end();
    if (Object.keys(groups).every((name) => (share.parts[name] ?? 0) < percent)) break;
  }
  return (Date.now() - started) / 1000;
}
