// Section 2: end to end. N SMS reminders created through POST /api/reminders, sent through
// the real twilio client to the Twilio stand-in, which posts signed `sent` and `delivered`
// callbacks to the API; done when the projection says `completed`. Beside it, a bare
// workflow of the same shape (bench/workflows.ts: 5 no-op activities, 2 signals, 1 timer)
// started by a plain Temporal client, on the same server, with its own worker process.
//
// Each run is time-boxed (BENCH_E2E_BUDGET_SECONDS): what has not completed by then is
// terminated (so it does not load the next run) and the rate is completions per second of
// the box. Completion is watched through Temporal visibility, not by counting MongoDB
// documents: FerretDB answers a count with a full collection scan, which would load the
// very database the real path writes to.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { freePort } from '../../dev/stack/processes';
import { BARE_TASK_QUEUE, BARE_WORKFLOW_TYPE, type BareResult } from '../bare-definitions';
import { createReminders } from '../lib/api-client';
import type { BenchConfig } from '../lib/config';
import { cpuWindow, waitUntilIdle, type CpuShare } from '../lib/proc';
import { waitForPoller, type Stack } from '../lib/stack';
import { mapConcurrent, percentile, pollUntil } from '../lib/stats';
import { breakdown, snapshotMetrics, type TimeBreakdown } from '../lib/worker-metrics';

export interface E2eRun {
  label: string;
  requested: number;
  /** Created within the time box. */
  created: number;
  completed: number;
  /** All created ones completed within the box. */
  finished: boolean;
  /** From the first create to the last completion (or to the end of the box). */
  seconds: number;
  remindersPerSecond: number;
  /** Creates (API 201s, or client starts) per second while creating. */
  createsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  cpu: CpuShare;
  time: TimeBreakdown;
}

export interface E2eResult {
  real: E2eRun;
  bare: E2eRun;
  /** real / bare completions per second, percent. */
  ratioPercent: number;
  maxCachedWorkflowsDefault?: number;
  realIds: string[];
  bareIds: string[];
}

const DELIVERED_PHONE = '+14155550123';

async function terminateAll(stack: Stack, workflowIds: string[]): Promise<void> {
  await mapConcurrent(workflowIds, 10, (workflowId) =>
    stack.client.workflow.getHandle(workflowId).terminate('bench: time box over').catch(() => undefined));
}

export async function runE2e(stack: Stack, config: BenchConfig, log: (line: string) => void): Promise<E2eResult> {
  const count = config.reminders;
  const budgetMs = config.e2eBudgetSeconds * 1000;
  const backlog = stack.groups('worker', 'temporal', 'api', 'ferretdb');

  // The Twilio stand-in runs in this process and posts its callbacks with fetch: note when
  // it posts `delivered` for each reminder (the callback URL carries reminderId).
  const deliveredPostedAt = new Map<string, number>();
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    if (typeof input === 'string' && input.includes('/api/webhooks/twilio/status') && typeof init?.body === 'string' && init.body.includes('MessageStatus=delivered')) {
      const reminderId = new URL(input).searchParams.get('reminderId');
      if (reminderId) deliveredPostedAt.set(reminderId, Date.now());
    }
    return realFetch(input, init);
  }) as typeof fetch;

  let real: E2eRun;
  let realIds: string[];
  try {
    await waitUntilIdle(backlog);
    log(`real: ${count} SMS reminders through POST /api/reminders (${config.createConcurrency} at a time) → Twilio stand-in → signed callbacks → completed (time box ${config.e2eBudgetSeconds} s) …`);
    const reminders = stack.db.collection<{ _id: string; status: string; updatedAt: Date }>('reminders');
    const metricsBefore = await snapshotMetrics(stack.workerMetricsUrl);
    const window = cpuWindow(stack.groups('api', 'worker', 'temporal', 'ferretdb'));
    const startedAt = Date.now();
    const deadline = startedAt + budgetMs;
    realIds = await createReminders(stack.apiUrl, { channel: 'sms', phone: DELIVERED_PHONE, customerId: 'bench-e2e', count, concurrency: config.createConcurrency, deadline });
    const createdAt = Date.now();
    const finished = await pollUntil(
      async () => (await stack.client.workflow.count(`CustomerId = 'bench-e2e' AND ExecutionStatus = 'Completed'`)).count >= realIds.length,
      { timeoutMs: Math.max(deadline - Date.now(), 0), intervalMs: 1_000 },
    );
    const cpu = window();
    const time = breakdown(metricsBefore, await snapshotMetrics(stack.workerMetricsUrl));
    const done = await reminders.find({ 'customer.id': 'bench-e2e', status: 'completed' }, { projection: { updatedAt: 1 } }).toArray();
    const doneIds = new Set(done.map((document) => document._id));
    await terminateAll(stack, realIds.filter((id) => !doneIds.has(id)).map((id) => `reminder-${id}`));
    const finishedAt = finished && done.length > 0 ? Math.max(...done.map((document) => document.updatedAt.getTime())) : Math.max(deadline, Date.now());
    // updatedAt is stamped by saveProjection right before its updateOne, so the latency
    // ends when the completed projection is written (less the write's own round trip).
    const latencies = done.flatMap((document) => {
      const posted = deliveredPostedAt.get(document._id);
      return posted === undefined ? [] : [document.updatedAt.getTime() - posted];
    });
    const seconds = (finishedAt - startedAt) / 1000;
    real = {
      label: 'real: API → workflow → Twilio stand-in → webhooks → projection',
      requested: count,
      created: realIds.length,
      completed: done.length,
      finished: finished && done.length === realIds.length,
      seconds,
      remindersPerSecond: done.length / seconds,
      createsPerSecond: realIds.length / ((createdAt - startedAt) / 1000),
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      cpu,
      time,
    };
    log(`  ${real.completed}/${real.created} created (of ${count}) completed in ${seconds.toFixed(1)} s: ${real.remindersPerSecond.toFixed(2)} reminders/s; delivered→projection p50 ${real.latencyP50} ms, p99 ${real.latencyP99} ms`);
  } finally {
    globalThis.fetch = realFetch;
  }

  log('bare: starting the bare worker (its own process) …');
  const infoFile = path.join(stack.dataDir, 'bare-worker.json');
  const metricsPort = await freePort();
  const bareMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const bareWorker = stack.spawnNode('bare-worker', 'bench/bare-worker.ts', { ...stack.env, BENCH_WORKER_INFO_FILE: infoFile, BENCH_BARE_METRICS_PORT: String(metricsPort) });
  let bare: E2eRun;
  let bareIds: string[];
  let maxCachedWorkflowsDefault: number | undefined;
  try {
    await waitForPoller(stack.connection, BARE_TASK_QUEUE, bareWorker);
    maxCachedWorkflowsDefault = (JSON.parse(readFileSync(infoFile, 'utf8')) as { maxCachedWorkflows: number }).maxCachedWorkflows;
    // A few warm-up workflows (bundle loaded, JIT) that are not counted.
    const warmups = [1, 2, 3, 4, 5];
    await mapConcurrent(warmups, 5, (i) => stack.client.workflow.execute(BARE_WORKFLOW_TYPE, { taskQueue: BARE_TASK_QUEUE, workflowId: `warmup-${i}`, args: [{ callbackDelayMs: config.callbackDelayMs }] }));
    const bareGroups = { ...stack.groups('api', 'worker', 'temporal', 'ferretdb'), 'bare-worker': bareWorker.child.pid! };
    await waitUntilIdle({ ...backlog, 'bare-worker': bareWorker.child.pid! });

    log(`bare: ${count} bare workflows started by a Temporal client (${config.createConcurrency} at a time, time box ${config.e2eBudgetSeconds} s) …`);
    const metricsBefore = await snapshotMetrics(bareMetricsUrl);
    const window = cpuWindow(bareGroups);
    const startedAt = Date.now();
    const deadline = startedAt + budgetMs;
    const started = await mapConcurrent(Array.from({ length: count }, (_, i) => `bare-${i}`), config.createConcurrency, async (workflowId) => {
      if (Date.now() >= deadline) return undefined;
      await stack.client.workflow.start(BARE_WORKFLOW_TYPE, { taskQueue: BARE_TASK_QUEUE, workflowId, args: [{ callbackDelayMs: config.callbackDelayMs }] });
      return workflowId;
    });
    bareIds = started.filter((id): id is string => id !== undefined);
    const createdAt = Date.now();
    const completedQuery = `TaskQueue = '${BARE_TASK_QUEUE}' AND ExecutionStatus = 'Completed'`;
    const finished = await pollUntil(
      async () => (await stack.client.workflow.count(completedQuery)).count >= bareIds.length + warmups.length,
      { timeoutMs: Math.max(deadline - Date.now(), 0), intervalMs: 1_000 },
    );
    const cpu = window();
    const time = breakdown(metricsBefore, await snapshotMetrics(bareMetricsUrl));
    const doneIds: string[] = [];
    for await (const execution of stack.client.workflow.list({ query: completedQuery })) {
      if (execution.workflowId.startsWith('bare-')) doneIds.push(execution.workflowId);
    }
    const doneSet = new Set(doneIds);
    await terminateAll(stack, bareIds.filter((id) => !doneSet.has(id)));
    const results = await mapConcurrent(doneIds, 20, (workflowId) => stack.client.workflow.getHandle(workflowId).result().then((result: BareResult) => result, () => undefined));
    const done = results.filter((result): result is BareResult => result !== undefined && result.deliveredSentAt > 0);
    const finishedAt = finished && done.length > 0 ? Math.max(...done.map((result) => result.recordedAt)) : Math.max(deadline, Date.now());
    const seconds = (finishedAt - startedAt) / 1000;
    const latencies = done.map((result) => result.recordedAt - result.deliveredSentAt);
    bare = {
      label: 'bare: client → bare workflow (same activities, signals, timer)',
      requested: count,
      created: bareIds.length,
      completed: done.length,
      finished: finished && done.length === bareIds.length,
      seconds,
      remindersPerSecond: done.length / seconds,
      createsPerSecond: bareIds.length / ((createdAt - startedAt) / 1000),
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      cpu,
      time,
    };
    log(`  ${bare.completed}/${bare.created} created (of ${count}) completed in ${seconds.toFixed(1)} s: ${bare.remindersPerSecond.toFixed(2)} workflows/s; delivered→last activity p50 ${bare.latencyP50} ms, p99 ${bare.latencyP99} ms`);
  } finally {
    await bareWorker.stop();
    stack.parts.delete('bare-worker');
  }

  return { real, bare, ratioPercent: (real.remindersPerSecond / bare.remindersPerSecond) * 100, maxCachedWorkflowsDefault, realIds, bareIds };
}
