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
import type { Stack } from '../lib/stack';
import { pollUntil, sleep } from '../lib/stats';
import { breakdown, snapshotMetrics, type TimeBreakdown } from '../lib/worker-metrics';
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

export interface ScaleResult {
  requested: number;
  /** Started within the start time box. */
  started: number;
  startSeconds: number;
  startsPerSecond: number;
  /** Until every started reminder was on its due timer (or the wait box ended). */
  allWaitingSeconds: number;
  waiting: number;
  /**
   * Each sample is taken after the worker went idle and then rested `settleSeconds`;
   * `beforeRestRssMiB` is its VmRSS as soon as it went idle.
   */
  settleSeconds: number;
  /** At the start of the section (fresh when section 4 runs alone). */
  before: RestedSample;
  /** After `warmup` reminders (at least the sticky cache's size) are waiting. */
  warm: RestedSample;
  warmup: number;
  after: RestedSample;
  /** Highest worker VmRSS sampled during the section. */
  workerRssMaxMiB: number;
  /** From the start of the section to all K waiting. */
  rssGrowthMiB: number;
  /** From the warm worker to all K waiting: what the K reminders themselves cost. */
  rssGrowthFromWarmMiB: number;
  cpu: CpuShare;
  time: TimeBreakdown;
  sampleIds: string[];
}

const METRICS = ['temporal_sticky_cache_size', 'temporal_workflow_active_thread_count', 'temporal_num_pollers'];

export async function readWorkerMetrics(url: string): Promise<Record<string, number>> {
  const text = await fetch(url).then((response) => response.text()).catch(() => '');
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

// patched('record-on-dispatch') upserts TemporalChangeVersion in the first workflow task, the
// one that starts the due timer, so visibility counts exactly the reminders waiting on it.
const SCALE_CUSTOMER = 'bench-scale';
const waitingQuery = (customerId: string) => `CustomerId = '${customerId}' AND TemporalChangeVersion = 'record-on-dispatch'`;
const WAITING_QUERY = waitingQuery(SCALE_CUSTOMER);

/** Starts `count` reminders due in two hours and waits until each is on its timer. */
async function startWaiting(stack: Stack, config: BenchConfig, log: (line: string) => void, customerId: string, count: number) {
  const startedAt = Date.now();
  let lastLog = startedAt;
  const sendAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
  log(`starting ${count} SMS reminders due at ${sendAt} through POST /api/reminders (${config.createConcurrency} at a time, time box ${config.scaleStartBudgetSeconds} s) …`);
  const ids = await createReminders(stack.apiUrl, {
    sendAt,
    channel: 'sms', phone: SILENT_SMS_NUMBER, customerId, count, concurrency: config.createConcurrency,
    deadline: startedAt + config.scaleStartBudgetSeconds * 1000,
    onCreated: (done) => {
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`  … ${done} started`);
      }
    },
  });
  const startSeconds = (Date.now() - startedAt) / 1000;
  log(`  ${ids.length} started in ${startSeconds.toFixed(1)} s (${(ids.length / startSeconds).toFixed(1)}/s); waiting until each has started its timer (time box ${config.scaleWaitBudgetSeconds} s) …`);
  let waiting = 0;
  lastLog = Date.now();
  await pollUntil(async () => {
    waiting = (await stack.client.workflow.count(waitingQuery(customerId))).count;
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`  … ${waiting} waiting`);
    }
    return waiting >= ids.length;
  }, { timeoutMs: config.scaleWaitBudgetSeconds * 1000, intervalMs: 1_000 });
  return { ids, startSeconds, waiting, allWaitingSeconds: (Date.now() - startedAt) / 1000 };
}

/**
 * Lets the worker rest for `seconds`, then samples it; `atRest` is the sample taken as soon as
 * it went idle, before the rest, so the report can show what resting changed.
 */
async function sampleAtRest(stack: Stack, seconds: number): Promise<MemorySample & { beforeRestRssMiB: number }> {
  const beforeRestRssMiB = memoryMiB(stack.parts.get('worker')!.child.pid!).rss;
  await sleep(seconds * 1000);
  return { ...(await sample(stack)), beforeRestRssMiB };
}

export async function runScale(stack: Stack, config: BenchConfig, log: (line: string) => void): Promise<ScaleResult> {
  const requested = config.scale;
  const backlog = stack.groups('worker', 'temporal', 'api', 'ferretdb');
  await waitUntilIdle(backlog);
  const before = await sampleAtRest(stack, config.scaleSettleSeconds);
  log(`worker at the start: VmRSS ${before.workerRssMiB.toFixed(0)} MiB, sticky cache ${before.stickyCacheSize ?? 'n/a'}`);

  let maxRss = before.workerRssMiB;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxRss = Math.max(maxRss, memoryMiB(stack.parts.get('worker')!.child.pid!).rss);
      await sleep(1_000);
    }
  })();

  log(`warm-up: ${config.scaleWarmup} reminders, enough to fill the sticky cache …`);
  await startWaiting(stack, config, log, `${SCALE_CUSTOMER}-warmup`, config.scaleWarmup);
  await waitUntilIdle(backlog, { timeoutMs: 20_000 });
  const warm = await sampleAtRest(stack, config.scaleSettleSeconds);
  log(`warm worker: VmRSS ${warm.workerRssMiB.toFixed(0)} MiB, sticky cache ${warm.stickyCacheSize ?? 'n/a'}`);

  const metricsBefore = await snapshotMetrics(stack.workerMetricsUrl);
  const window = cpuWindow(stack.groups('api', 'worker', 'temporal', 'ferretdb'));
  const { ids, startSeconds, waiting, allWaitingSeconds } = await startWaiting(stack, config, log, SCALE_CUSTOMER, requested);
  const cpu = window();
  const time = breakdown(metricsBefore, await snapshotMetrics(stack.workerMetricsUrl));
  await waitUntilIdle(backlog, { timeoutMs: 20_000 });
  sampling = false;
  await sampler;
  const after = await sampleAtRest(stack, config.scaleSettleSeconds);
  // For section 3: one reminder that is surely waiting on its timer (others may still be queued).
  const sampleIds: string[] = [];
  for await (const execution of stack.client.workflow.list({ query: WAITING_QUERY })) {
    sampleIds.push(execution.workflowId.replace(/^reminder-/, ''));
    break;
  }
  maxRss = Math.max(maxRss, after.workerRssMiB);
  log(`  ${waiting}/${ids.length} waiting after ${allWaitingSeconds.toFixed(1)} s; worker VmRSS ${after.workerRssMiB.toFixed(0)} MiB (max ${maxRss.toFixed(0)}), sticky cache ${after.stickyCacheSize ?? 'n/a'}`);

  return {
    requested,
    started: ids.length,
    startSeconds,
    startsPerSecond: ids.length / startSeconds,
    allWaitingSeconds,
    waiting,
    settleSeconds: config.scaleSettleSeconds,
    before,
    warm,
    warmup: config.scaleWarmup,
    after,
    workerRssMaxMiB: maxRss,
    rssGrowthMiB: after.workerRssMiB - before.workerRssMiB,
    rssGrowthFromWarmMiB: after.workerRssMiB - warm.workerRssMiB,
    cpu,
    time,
    sampleIds: sampleIds.length ? sampleIds : ids.slice(0, 1),
  };
}
