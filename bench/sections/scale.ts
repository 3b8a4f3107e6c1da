// Section 4: scale. K SMS reminders scheduled two hours ahead (sendAt), so each is open and
// waiting on its timer, as most reminders in production are. Measures how long the API takes
// to start them and the worker to get them all waiting, and the worker process's memory
// (VmRSS from /proc) and sticky cache: at the start of the section (a fresh worker when the
// section runs alone), after a warm-up that fills its sticky cache, and with all K waiting;
// each time once the worker is idle and has rested BENCH_SCALE_SETTLE_SECONDS.
// The growth from the warm worker is what the K reminders cost; the growth from a fresh one
// adds what any worker's first tasks cost (JIT-compiled code, the young generation, the
// cache itself).
import { createReminders } from '../lib/api-client';
import type { BenchConfig } from '../lib/config';
import { cpuWindow, memoryMiB, waitUntilIdle, type CpuShare } from '../lib/proc';
import { CPU_ORDER, cpuSummary, fixed, table, waitSummary, type SectionReport } from '../lib/report';
import type { Stack } from '../lib/stack';
import { pollUntil, sleep } from '../lib/stats';
import { breakdown, describeBreakdown, snapshotMetrics, type TimeBreakdown } from '../lib/worker-metrics';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

export const SILENT_SMS_NUMBER = SCRIPTED_NUMBERS.SMS_NO_CALLBACK;

export interface MemorySample {
  workerRssMiB: number;
  workerPeakMiB: number;
  temporalRssMiB: number;
  ferretdbRssMiB: number;
  stickyCacheSize?: number;
  /** Workflows the worker holds in memory by its own count (temporal_sticky_cache_size … or the gauge it has). */
  metrics: Record<string, number>;
}

export type RestedSample = MemorySample & { beforeRestRssMiB: number };

export interface ScaleResult extends Omit<RestedMeasurement<unknown>, 'run'> {
  requested: number;
  /** Started within the start time box. */
  started: number;
  startSeconds: number;
  startsPerSecond: number;
  /** Until every started reminder was on its due timer (or the wait box ended). */
  allWaitingSeconds: number;
  waiting: number;
  warmup: number;
  sampleIds: string[];
}

const METRICS = ['temporal_sticky_cache_size', 'temporal_workflow_active_thread_count', 'temporal_num_pollers'];

export async function readWorkerMetrics(url: string): Promise<Record<string, number>> {
  const text = await fetch(url)
    .then((response) => response.text())
    .catch(() => '');
  const found: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, labels = '', value] = match;
    if (!METRICS.includes(name!)) continue;
    const key = name === 'temporal_num_pollers' ? `${name}${labels.includes('sticky') ? '{sticky}' : '{normal}'}` : name!;
    found[key] = (found[key] ?? 0) + Number(value);
  }
  return found;
}

async function sample(stack: Stack): Promise<MemorySample> {
  const worker = memoryMiB(stack.parts.get('worker')!.child.pid!);
  const metrics = await readWorkerMetrics(stack.workerMetricsUrl);
  return {
    workerRssMiB: worker.rss,
    workerPeakMiB: worker.peak,
    temporalRssMiB: memoryMiB(stack.parts.get('temporal')!.child.pid!).rss,
    ferretdbRssMiB: memoryMiB(stack.parts.get('ferretdb')!.child.pid!).rss,
    stickyCacheSize: metrics.temporal_sticky_cache_size,
    metrics,
  };
}

const SCALE_CUSTOMER = 'bench-scale';

/**
 * A reminder due later starts its timer in its first workflow task, and runs no other task
 * until the timer fires; nothing in visibility changes then. So the worker's count of workflow
 * tasks run since a batch was started says how many of the batch are waiting on their timers.
 */
export const workflowTasksRun = async (stack: Stack) =>
  (await snapshotMetrics(stack.workerMetricsUrl)).get('temporal_workflow_task_execution_latency_count') ?? 0;

/** A batch started through the API and waiting on its timers: how long each part took. */
export interface WaitingBatch<Id> {
  ids: Id[];
  startSeconds: number;
  /** How many of the batch had run their workflow tasks (so were waiting) when the wait ended. */
  waiting: number;
  allWaitingSeconds: number;
}

/**
 * Starts a batch through the API (`create`, which reports progress through its callback) and
 * waits until each of it is on its timer: each runs `tasksPerItem` workflow tasks first and
 * none after, so the worker's count of tasks run since the start says how many wait.
 */
export async function startBatchWaiting<Id>(
  stack: Stack,
  log: (line: string) => void,
  options: {
    create: (onCreated: (done: number) => void) => Promise<Id[]>;
    tasksPerItem: number;
    waitBudgetSeconds: number;
    /** What the batch waits for, in the log: e.g. `each has started its timer`. */
    waitingFor: string;
  },
): Promise<WaitingBatch<Id>> {
  const tasksBefore = await workflowTasksRun(stack);
  const startedAt = Date.now();
  let lastLog = startedAt;
  const ids = await options.create((done) => {
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`  … ${done} started`);
    }
  });
  const startSeconds = (Date.now() - startedAt) / 1000;
  log(
    `  ${ids.length} started in ${startSeconds.toFixed(1)} s (${(ids.length / startSeconds).toFixed(1)}/s); waiting until ${options.waitingFor} (time box ${options.waitBudgetSeconds} s) …`,
  );
  let waiting = 0;
  lastLog = Date.now();
  await pollUntil(
    async () => {
      waiting = Math.min(Math.floor(((await workflowTasksRun(stack)) - tasksBefore) / options.tasksPerItem), ids.length);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`  … ${waiting} waiting`);
      }
      return waiting >= ids.length;
    },
    { timeoutMs: options.waitBudgetSeconds * 1000, intervalMs: 1_000 },
  );
  return { ids, startSeconds, waiting, allWaitingSeconds: (Date.now() - startedAt) / 1000 };
}

/** Starts `count` reminders due in two hours and waits until each is on its timer. */
function startWaiting(stack: Stack, config: BenchConfig, log: (line: string) => void, customerId: string, count: number) {
  const sendAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
  log(
    `starting ${count} SMS reminders due at ${sendAt} through POST /api/reminders (${config.createConcurrency} at a time, time box ${config.scaleStartBudgetSeconds} s) …`,
  );
  const deadline = Date.now() + config.scaleStartBudgetSeconds * 1000;
  return startBatchWaiting(stack, log, {
    create: (onCreated) =>
      createReminders(stack.apiUrl, {
        sendAt,
        channel: 'sms',
        phone: SILENT_SMS_NUMBER,
        customerId,
        count,
        concurrency: config.createConcurrency,
        deadline,
        onCreated,
      }),
    tasksPerItem: 1,
    waitBudgetSeconds: config.scaleWaitBudgetSeconds,
    waitingFor: 'each has started its timer',
  });
}

/**
 * Lets the worker rest for `seconds`, then samples it; `atRest` is the sample taken as soon as
 * it went idle, before the rest, so the report can show what resting changed.
 */
export async function sampleAtRest(stack: Stack, seconds: number): Promise<MemorySample & { beforeRestRssMiB: number }> {
  const beforeRestRssMiB = memoryMiB(stack.parts.get('worker')!.child.pid!).rss;
  await sleep(seconds * 1000);
  return { ...(await sample(stack)), beforeRestRssMiB };
}

/** Worker memory at rest around one run of waiting workflows, as sections 4 and 5 measure it. */
export interface RestedMeasurement<Run> {
  /**
   * Each sample is taken after the worker went idle and then rested `settleSeconds`;
   * `beforeRestRssMiB` is its VmRSS as soon as it went idle.
   */
  settleSeconds: number;
  /** At the start of the section (fresh when the section runs alone). */
  before: RestedSample;
  /** After the warm-up (at least the sticky cache's size) is waiting. */
  warm: RestedSample;
  after: RestedSample;
  /** Highest worker VmRSS sampled during the section. */
  workerRssMaxMiB: number;
  /** From the start of the section to all K waiting. */
  rssGrowthMiB: number;
  /** From the warm worker to all K waiting: what the K themselves cost. */
  rssGrowthFromWarmMiB: number;
  cpu: CpuShare;
  time: TimeBreakdown;
  run: Run;
}

/**
 * The method sections 4 and 5 share: sample the idle worker at rest, run `warmUp` (enough to
 * fill the sticky cache) and sample again, then `run` (CPU and worker metrics over it) and
 * sample once more, the peak VmRSS tracked throughout.
 */
export async function measureAtRest<Run>(
  stack: Stack,
  config: BenchConfig,
  log: (line: string) => void,
  steps: { warmUp: () => Promise<unknown>; run: () => Promise<Run> },
): Promise<RestedMeasurement<Run>> {
  const backlog = stack.groups('worker', 'temporal', 'api', 'ferretdb');
  await waitUntilIdle(backlog);
  const before = await sampleAtRest(stack, config.scaleSettleSeconds);
  log(`worker at the start: VmRSS ${before.workerRssMiB.toFixed(0)} MiB, sticky cache ${before.stickyCacheSize ?? 'n/a'}`);

  let maxRss = before.workerRssMiB;
  let sampling = true;
  const sampler = (async () => {
    // Ends when the section does, or when the worker is gone (Ctrl-C stops the stack under it).
    while (sampling) {
      const pid = stack.parts.get('worker')?.child.pid;
      if (pid === undefined) break;
      try {
        maxRss = Math.max(maxRss, memoryMiB(pid).rss);
      } catch {
        break;
      }
      await sleep(1_000);
    }
  })();

  await steps.warmUp();
  await waitUntilIdle(backlog, { timeoutMs: 20_000 });
  const warm = await sampleAtRest(stack, config.scaleSettleSeconds);
  log(`warm worker: VmRSS ${warm.workerRssMiB.toFixed(0)} MiB, sticky cache ${warm.stickyCacheSize ?? 'n/a'}`);

  const metricsBefore = await snapshotMetrics(stack.workerMetricsUrl);
  const window = cpuWindow(stack.groups('api', 'worker', 'temporal', 'ferretdb'));
  const run = await steps.run();
  const cpu = window();
  const time = breakdown(metricsBefore, await snapshotMetrics(stack.workerMetricsUrl));
  await waitUntilIdle(backlog, { timeoutMs: 20_000 });
  sampling = false;
  await sampler;
  const after = await sampleAtRest(stack, config.scaleSettleSeconds);
  maxRss = Math.max(maxRss, after.workerRssMiB);
  return {
    settleSeconds: config.scaleSettleSeconds,
    before,
    warm,
    after,
    workerRssMaxMiB: maxRss,
    rssGrowthMiB: after.workerRssMiB - before.workerRssMiB,
    rssGrowthFromWarmMiB: after.workerRssMiB - warm.workerRssMiB,
    cpu,
    time,
    run,
  };
}

export async function runScale(stack: Stack, config: BenchConfig, log: (line: string) => void): Promise<ScaleResult> {
  const requested = config.scale;
  const { run, ...memory } = await measureAtRest(stack, config, log, {
    warmUp: () => {
      log(`warm-up: ${config.scaleWarmup} reminders, enough to fill the sticky cache …`);
      return startWaiting(stack, config, log, `${SCALE_CUSTOMER}-warmup`, config.scaleWarmup);
    },
    run: () => startWaiting(stack, config, log, SCALE_CUSTOMER, requested),
  });
  const { ids, startSeconds, waiting, allWaitingSeconds } = run;
  log(
    `  ${waiting}/${ids.length} waiting after ${allWaitingSeconds.toFixed(1)} s; worker VmRSS ${memory.after.workerRssMiB.toFixed(0)} MiB (max ${memory.workerRssMaxMiB.toFixed(0)}), sticky cache ${memory.after.stickyCacheSize ?? 'n/a'}`,
  );
  return {
    requested,
    started: ids.length,
    startSeconds,
    startsPerSecond: ids.length / startSeconds,
    allWaitingSeconds,
    waiting,
    warmup: config.scaleWarmup,
    ...memory,
    // For section 3: the first reminder started, the first on its timer (tasks are taken in order).
    sampleIds: ids.slice(0, 1),
  };
}

const MIB_PER_MB = 1_000_000 / (1024 * 1024); // 1 MB is 0.954 MiB

export function reportScale(scale: ScaleResult, config: BenchConfig): SectionReport {
  const growthMB = scale.rssGrowthMiB / MIB_PER_MB;
  const growthFromWarmMB = scale.rssGrowthFromWarmMiB / MIB_PER_MB;
  const rss = (sample: { workerRssMiB: number }) => `${fixed(sample.workerRssMiB, 0)} MiB`;
  const out: string[] = [];
  out.push(
    '',
    `== 4. Scale: up to ${scale.requested} SMS reminders open and waiting on their due timers, sendAt in 2 hours (start box ${config.scaleStartBudgetSeconds} s, wait box ${config.scaleWaitBudgetSeconds} s) ==`,
  );
  out.push(
    table(
      ['measure', 'value'],
      [
        [
          'started through POST /api/reminders',
          `${scale.started}/${scale.requested} in ${fixed(scale.startSeconds)} s = ${fixed(scale.startsPerSecond, 1)}/s`,
        ],
        [
          'waiting on their timer',
          `${scale.waiting}/${scale.started} after ${fixed(scale.allWaitingSeconds)} s = ${fixed(scale.waiting / scale.allWaitingSeconds, 1)}/s`,
        ],
        [
          `worker VmRSS: at the start → warm (${scale.warmup} more waiting) → all waiting; each after ${scale.settleSeconds} s at rest`,
          `${rss(scale.before)} → ${rss(scale.warm)} → ${rss(scale.after)} (max sampled ${fixed(scale.workerRssMaxMiB, 0)} MiB)`,
        ],
        [
          'the same, as soon as the worker went idle (before resting)',
          `${fixed(scale.before.beforeRestRssMiB, 0)} MiB → ${fixed(scale.warm.beforeRestRssMiB, 0)} MiB → ${fixed(scale.after.beforeRestRssMiB, 0)} MiB: +${fixed(scale.after.beforeRestRssMiB - scale.warm.beforeRestRssMiB, 0)} MiB from warm`,
        ],
        [
          `worker RSS growth over the ${scale.started} reminders (from warm)`,
          `${fixed(scale.rssGrowthFromWarmMiB, 0)} MiB = ${fixed(growthFromWarmMB, 0)} MB`,
        ],
        [
          'worker RSS growth from the start of the section',
          `${fixed(scale.rssGrowthMiB, 0)} MiB = ${fixed(growthMB, 0)} MB (of which the warm-up: ${fixed(scale.warm.workerRssMiB - scale.before.workerRssMiB, 0)} MiB)`,
        ],
        [
          'sticky cache size (temporal_sticky_cache_size) at the start → warm → all waiting',
          `${scale.before.stickyCacheSize ?? 'n/a'} → ${scale.warm.stickyCacheSize ?? 'n/a'} → ${scale.after.stickyCacheSize ?? 'n/a'}`,
        ],
        ['maxCachedWorkflows (WORKER_MAX_CACHED_WORKFLOWS, both workers)', String(config.maxCachedWorkflows)],
        ['worker V8 flags (NODE_OPTIONS)', config.workerNodeOptions || "V8's defaults"],
        [
          'Temporal dev server VmRSS at the start → all waiting',
          `${fixed(scale.before.temporalRssMiB, 0)} → ${fixed(scale.after.temporalRssMiB, 0)} MiB`,
        ],
        [
          'FerretDB VmRSS at the start → all waiting',
          `${fixed(scale.before.ferretdbRssMiB, 0)} → ${fixed(scale.after.ferretdbRssMiB, 0)} MiB`,
        ],
        ['CPU while starting and sending', cpuSummary(scale.cpu, CPU_ORDER)],
        ['run-queue wait', waitSummary(scale.cpu)],
        ['where the time went', describeBreakdown(scale.time)],
      ],
      ['l', 'l'],
    ),
  );
  const allStarted = scale.started === scale.requested;
  const shortfall = allStarted ? '' : ` (only ${scale.started} of ${scale.requested} started in the box)`;
  const targets = [
    {
      section: '4',
      target: `worker RSS growth ≤ 50 MB over ${scale.started} waiting reminders, from a warm worker, at rest${shortfall}`,
      measured: `${fixed(growthFromWarmMB, 0)} MB`,
      holds: allStarted && growthFromWarmMB <= 50,
    },
    {
      section: '4',
      target: 'the same, from the start of the section (a fresh worker when section 4 runs alone)',
      measured: `${fixed(growthMB, 0)} MB`,
      holds: allStarted && growthMB <= 50,
    },
  ];
  return { lines: out, targets };
}
