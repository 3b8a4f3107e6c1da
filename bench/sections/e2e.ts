// Section 2: end to end. SMS reminders created through POST /api/reminders, sent through the
// real twilio client to the Twilio stand-in, which posts signed `sent` and `delivered`
// callbacks to the API; done when the projection says `completed` and the workflow closes.
// Beside it, the same path with the contact policy's checks off (the system's worker
// restarted with CONTACT_POLICY_CHECKS=off, then back on): what the checks cost. And a bare
// workflow of the same shape (bench/workflows.ts: 5 no-op activities, 2 signals, 1 timer)
// started by a plain Temporal client, on the same server, with its own worker process.
//
// Both are driven closed-loop: BENCH_E2E_IN_FLIGHT reminders at a time, a new one as soon as
// one completes, for a time box (BENCH_E2E_BUDGET_SECONDS), up to BENCH_REMINDERS. That
// measures what the system sustains; starting all of them at once only measures how a
// backlog of thousands of workflows collapses the dev server (tried: see bench/README.md).
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { freePort } from '../../dev/stack/processes';
import { BARE_TASK_QUEUE, BARE_WORKFLOW_TYPE, type BareResult } from '../bare-definitions';
import { createReminders } from '../lib/api-client';
import type { BenchConfig } from '../lib/config';
import { cpuWindow, waitUntilIdle, type CpuShare } from '../lib/proc';
import { CPU_ORDER, cpuPerItem, cpuSummary, fixed, partCpuPerItem, pct, table, waitSummary, type SectionReport } from '../lib/report';
import { waitForPoller } from '../../dev/stack/worker-polling';
import type { Stack } from '../lib/stack';
import { mapConcurrent, percentile } from '../lib/stats';
import { breakdown, describeBreakdown, snapshotMetrics, type TimeBreakdown } from '../lib/worker-metrics';
import { ContactLedger } from '../../src/store/contact-ledger';
import { ReminderStore } from '../../src/store/reminder-store';
import { CustomerIdKey, ReminderAttemptKey, ReminderChannelKey, ReminderStatusKey } from '../../src/workflows/search-attributes';

export interface E2eRun {
  label: string;
  requested: number;
  inFlight: number;
  /** Started within the time box. */
  created: number;
  /** Completed within the time box. */
  completed: number;
  /** The time box (or less, when all `requested` completed sooner). */
  seconds: number;
  remindersPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  /** Start (API 201 or client start) → workflow result, ms. */
  cycleP50: number;
  cpu: CpuShare;
  time: TimeBreakdown;
}

export interface E2eResult {
  /** The real path, the contact policy's checks on (as deployed). */
  real: E2eRun;
  /** The real path on a worker with CONTACT_POLICY_CHECKS=off, the same load right after. */
  checksOff: E2eRun;
  /** real / checksOff completions per second, percent: 100 less what the checks cost. */
  checksOnOffPercent: number;
  bare: E2eRun;
  /** The bare workflow plus the reminder's search attributes (at start and their upserts). */
  bareWithBookkeeping: E2eRun;
  /** real / bare completions per second, percent. */
  ratioPercent: number;
  /** real / bareWithBookkeeping, percent: what our own code (API, HTTP, store) costs. */
  ratioToBookkeepingPercent: number;
  /**
   * The cluster model. Where the API, the workers and MongoDB run on machines of their own
   * and scale out, the engine alone sets the rate, so the ratios become ratios of the
   * engine's CPU-seconds per completed reminder (measured here, in each run's window).
   */
  engineBound: {
    secondsPerReminder: { real: number; bare: number; bareWithBookkeeping: number };
    /** bare / real engine seconds per reminder, percent: ours as a share of the bare rate. */
    ratioPercent: number;
    ratioToBookkeepingPercent: number;
  };
  bareWorkerMaxCachedWorkflows?: number;
  realIds: string[];
  bareIds: string[];
}

const DELIVERED_PHONE = '+14155550123';

/** What the API starts a reminder with: its search attributes, summary and details. */
const START_BOOKKEEPING = {
  typedSearchAttributes: [
    { key: ReminderStatusKey, value: 'pending' },
    { key: ReminderChannelKey, value: 'sms' },
    { key: CustomerIdKey, value: 'bench-e2e-bare' },
    { key: ReminderAttemptKey, value: 0 },
  ],
  staticSummary: 'SMS reminder: 99.50 USD due 2026-12-01 (INV-1)',
  staticDetails: '**Customer:** Bench (bench-e2e-bare)\n\n**Amount:** 99.50 USD, due 2026-12-01',
};

interface LoopOutcome {
  started: string[];
  completedAt: Map<string, number>;
  cycles: number[];
  seconds: number;
}

/**
 * `inFlight` loops, each: start one, wait until it completes, start the next; until the box
 * ends or `count` have been started. Then waits up to 30 s for those in flight and
 * terminates what is left, so nothing loads the next measurement.
 */
async function closedLoop(
  stack: Stack,
  options: { count: number; inFlight: number; boxMs: number },
  start: (index: number) => Promise<string>,
  workflowIdOf: (id: string) => string,
): Promise<LoopOutcome> {
  const started: string[] = [];
  const completedAt = new Map<string, number>();
  const cycles: number[] = [];
  const startedAt = Date.now();
  const boxEnd = startedAt + options.boxMs;
  let next = 0;
  let lastCompletion = startedAt;
  const loops = Array.from({ length: options.inFlight }, async () => {
    while (next < options.count && Date.now() < boxEnd) {
      const index = next++;
      const began = Date.now();
      const id = await start(index);
      started.push(id);
      try {
        await stack.client.workflow.getHandle(workflowIdOf(id)).result();
        const now = Date.now();
        if (now <= boxEnd) {
          completedAt.set(id, now);
          cycles.push(now - began);
          lastCompletion = now;
        }
      } catch {
        // terminated after the box, or failed: not counted
      }
    }
  });
  const drained = Promise.all(loops);
  await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, Math.max(boxEnd - Date.now(), 0) + 30_000))]);
  const unfinished = started.filter((id) => !completedAt.has(id));
  await mapConcurrent(unfinished, 10, (id) =>
    stack.client.workflow
      .getHandle(workflowIdOf(id))
      .terminate('bench: time box over')
      .catch(() => undefined),
  );
  await drained;
  const allDone = next >= options.count && completedAt.size === started.length;
  return { started, completedAt, cycles, seconds: ((allDone ? lastCompletion : boxEnd) - startedAt) / 1000 };
}

export async function runE2e(stack: Stack, config: BenchConfig, log: (line: string) => void): Promise<E2eResult> {
  const count = config.reminders;
  const inFlight = config.e2eInFlight;
  const boxMs = config.e2eBudgetSeconds * 1000;

  // The Twilio stand-in runs in this process and posts its callbacks with fetch: note when
  // it posts `delivered` for each reminder (the callback URL carries reminderId).
  const deliveredPostedAt = new Map<string, number>();
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    if (
      typeof input === 'string' &&
      input.includes('/api/webhooks/twilio/status') &&
      typeof init?.body === 'string' &&
      init.body.includes('MessageStatus=delivered')
    ) {
      const reminderId = new URL(input).searchParams.get('reminderId');
      if (reminderId) deliveredPostedAt.set(reminderId, Date.now());
    }
    return realFetch(input, init);
  };

  const reminders = new ReminderStore(stack.db);
  const contacts = new ContactLedger(stack.db);
  const createOne = (customerId: string) => async (index: number) => {
    const [id] = await createReminders(stack.apiUrl, {
      channel: 'sms',
      phone: DELIVERED_PHONE,
      customerId,
      count: 1,
      concurrency: 1,
      keyOffset: index,
    });
    return id!;
  };
  /** One pass of the real path on the worker as it runs now; its reminders are `customerId`'s. */
  const measureReal = async (label: string, customerId: string) => {
    // After a worker restart the part's process group is new, so the groups are read here.
    await waitUntilIdle(stack.groups('worker', 'temporal', 'api', 'ferretdb'));
    // A few reminders first that are not counted (JIT, connection pools), as for the bare worker.
    const warmups = await mapConcurrent([0, 1, 2, 3, 4], 5, createOne(`${customerId}-warmup`));
    await mapConcurrent(warmups, 5, (id) => stack.client.workflow.getHandle(`reminder-${id}`).result());
    log(`${label}: ${inFlight} in flight, up to ${count}, for ${config.e2eBudgetSeconds} s …`);
    const metricsBefore = await snapshotMetrics(stack.workerMetricsUrl);
    const window = cpuWindow(stack.groups('api', 'worker', 'temporal', 'ferretdb'));
    const outcome = await closedLoop(stack, { count, inFlight, boxMs }, createOne(customerId), (id) => `reminder-${id}`);
    const cpu = window();
    const time = breakdown(metricsBefore, await snapshotMetrics(stack.workerMetricsUrl));
    // updatedAt is stamped by saveProjection right before its updateOne, so the latency
    // ends when the completed projection is written (less the write's own round trip).
    const done = (await reminders.findByIds(outcome.started)).filter((document) => document.status === 'completed');
    const latencies = done.flatMap((document) => {
      const posted = deliveredPostedAt.get(document._id);
      return posted === undefined || !outcome.completedAt.has(document._id) ? [] : [document.updatedAt.getTime() - posted];
    });
    const run = summarizeRun(label, { count, inFlight, outcome, latencies, cpu, time });
    log(
      `  ${run.completed} completed (${run.created} started) in ${run.seconds.toFixed(1)} s: ${run.remindersPerSecond.toFixed(2)} reminders/s; delivered→projection p50 ${run.latencyP50} ms, p99 ${run.latencyP99} ms`,
    );
    // The checks reserve every contact in the ledger: a pass whose ledger says otherwise
    // measured something other than its label.
    return { run, ids: outcome.started, checked: (await contacts.forCustomer(customerId, 1)).length > 0 };
  };

  let real: E2eRun;
  let realIds: string[];
  let checksOff: E2eRun;
  try {
    // Each pass starts on a freshly started worker, so neither inherits the other's warm state.
    log('restarting the worker as configured (checks on) …');
    await stack.restartWorker();
    let checked: boolean;
    ({
      run: real,
      ids: realIds,
      checked,
    } = await measureReal('real: API → workflow → Twilio stand-in → webhooks → projection', 'bench-e2e'));
    if (!checked) throw new Error('section 2: the real pass recorded no contact in the ledger, so the policy checks did not run');
    log('restarting the worker with CONTACT_POLICY_CHECKS=off …');
    await stack.restartWorker({ CONTACT_POLICY_CHECKS: 'off' });
    try {
      ({ run: checksOff, checked } = await measureReal(
        'real, contact policy checks off (CONTACT_POLICY_CHECKS=off)',
        'bench-e2e-checks-off',
      ));
    } finally {
      log('restarting the worker as configured (checks on) …');
      await stack.restartWorker();
    }
    if (checked) throw new Error('section 2: the checks-off pass recorded contacts in the ledger, so the checks still ran');
  } finally {
    globalThis.fetch = realFetch;
  }

  log('bare: starting the bare worker (its own process) …');
  const infoFile = path.join(stack.dataDir, 'bare-worker.json');
  const metricsPort = await freePort();
  const bareMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const bareWorker = stack.spawnNode('bare-worker', 'bench/bare-worker.ts', {
    ...stack.workerEnv,
    BENCH_WORKER_INFO_FILE: infoFile,
    BENCH_BARE_METRICS_PORT: String(metricsPort),
  });
  let bare: E2eRun;
  let bareIds: string[];
  let bareWithBookkeeping: E2eRun;
  let bareWorkerMaxCachedWorkflows: number | undefined;
  try {
    await waitForPoller(stack.connection, BARE_TASK_QUEUE, { process: bareWorker });
    bareWorkerMaxCachedWorkflows = (JSON.parse(readFileSync(infoFile, 'utf8')) as { maxCachedWorkflows: number }).maxCachedWorkflows;
    // A few warm-up workflows (bundle loaded, JIT) that are not counted.
    await mapConcurrent([1, 2, 3, 4, 5], 5, (i) =>
      stack.client.workflow.execute(BARE_WORKFLOW_TYPE, {
        taskQueue: BARE_TASK_QUEUE,
        workflowId: `warmup-${i}`,
        args: [{ callbackDelayMs: config.callbackDelayMs }],
      }),
    );
    const bareGroups = { ...stack.groups('api', 'worker', 'temporal', 'ferretdb'), 'bare-worker': bareWorker.child.pid! };

    const measureBare = async (label: string, bookkeeping: boolean) => {
      await waitUntilIdle({ ...stack.groups('worker', 'temporal', 'api', 'ferretdb'), 'bare-worker': bareWorker.child.pid! });
      log(`${label}: started by a Temporal client; ${inFlight} in flight, up to ${count}, for ${config.e2eBudgetSeconds} s …`);
      const metricsBefore = await snapshotMetrics(bareMetricsUrl);
      const window = cpuWindow(bareGroups);
      const prefix = bookkeeping ? 'bare-bookkeeping' : 'bare';
      const outcome = await closedLoop(
        stack,
        { count, inFlight, boxMs },
        async (index) => {
          const workflowId = `${prefix}-${index}`;
          await stack.client.workflow.start(BARE_WORKFLOW_TYPE, {
            taskQueue: BARE_TASK_QUEUE,
            workflowId,
            args: [{ callbackDelayMs: config.callbackDelayMs, bookkeeping }],
            ...(bookkeeping ? START_BOOKKEEPING : {}),
          });
          return workflowId;
        },
        (id) => id,
      );
      const cpu = window();
      const time = breakdown(metricsBefore, await snapshotMetrics(bareMetricsUrl));
      const results = await mapConcurrent([...outcome.completedAt.keys()], 20, (workflowId) =>
        stack.client.workflow
          .getHandle(workflowId)
          .result()
          .then(
            (result: BareResult) => result,
            () => undefined,
          ),
      );
      const latencies = results.flatMap((result) =>
        result && result.deliveredSentAt > 0 ? [result.recordedAt - result.deliveredSentAt] : [],
      );
      const run = summarizeRun(label, { count, inFlight, outcome, latencies, cpu, time });
      log(
        `  ${run.completed} completed (${run.created} started) in ${run.seconds.toFixed(1)} s: ${run.remindersPerSecond.toFixed(2)} workflows/s; delivered→last activity p50 ${run.latencyP50} ms, p99 ${run.latencyP99} ms`,
      );
      return { run, ids: outcome.started };
    };
    ({ run: bare, ids: bareIds } = await measureBare('bare: client → bare workflow (same activities, signals, timer)', false));
    ({ run: bareWithBookkeeping } = await measureBare("bare + the reminder's search attributes", true));
  } finally {
    await bareWorker.stop();
    stack.parts.delete('bare-worker');
  }

  return {
    real,
    checksOff,
    checksOnOffPercent: (real.remindersPerSecond / checksOff.remindersPerSecond) * 100,
    bare,
    bareWithBookkeeping,
    ratioPercent: (real.remindersPerSecond / bare.remindersPerSecond) * 100,
    ratioToBookkeepingPercent: (real.remindersPerSecond / bareWithBookkeeping.remindersPerSecond) * 100,
    engineBound: engineBoundModel(real, bare, bareWithBookkeeping),
    bareWorkerMaxCachedWorkflows,
    realIds,
    bareIds,
  };
}

function engineBoundModel(real: E2eRun, bare: E2eRun, bareWithBookkeeping: E2eRun): E2eResult['engineBound'] {
  const engineSeconds = (run: E2eRun) => partCpuPerItem(run.cpu, 'temporal', run.completed);
  const secondsPerReminder = {
    real: engineSeconds(real),
    bare: engineSeconds(bare),
    bareWithBookkeeping: engineSeconds(bareWithBookkeeping),
  };
  return {
    secondsPerReminder,
    ratioPercent: (secondsPerReminder.bare / secondsPerReminder.real) * 100,
    ratioToBookkeepingPercent: (secondsPerReminder.bareWithBookkeeping / secondsPerReminder.real) * 100,
  };
}

/** One run's figures, computed the same way for the real path and the bare workflow. */
function summarizeRun<Cpu, Time>(
  label: string,
  run: {
    count: number;
    inFlight: number;
    outcome: { started: unknown[]; completedAt: Map<unknown, unknown>; seconds: number; cycles: number[] };
    latencies: number[];
    cpu: Cpu;
    time: Time;
  },
) {
  const { count, inFlight, outcome, latencies, cpu, time } = run;
  return {
    label,
    requested: count,
    inFlight,
    created: outcome.started.length,
    completed: outcome.completedAt.size,
    seconds: outcome.seconds,
    remindersPerSecond: outcome.completedAt.size / outcome.seconds,
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    cycleP50: percentile(outcome.cycles, 50),
    cpu,
    time,
  };
}

/** `on`: which Temporal server the run used, for the heading when the bench ran on several. */
export function reportE2e(e2e: E2eResult, config: BenchConfig, on?: string): SectionReport {
  const out: string[] = [];
  out.push(
    '',
    `== 2. End to end: SMS reminders to completed, ${e2e.real.inFlight} in flight (closed loop), up to ${e2e.real.requested}, ${config.e2eBudgetSeconds} s box each; beside the same path with the contact policy's checks off, and a bare workflow of the same shape${on ? `, on ${on}` : ''} ==`,
  );
  out.push(
    table(
      [
        'run',
        'started',
        'completed',
        'seconds',
        'completed/s',
        'vs bare',
        'delivered→projection p50 ms',
        'p99 ms',
        'start→result p50 ms',
        'CPU % of a core',
      ],
      [e2e.real, e2e.checksOff, e2e.bare, e2e.bareWithBookkeeping].map((run) => [
        run.label,
        run.created,
        run.completed,
        fixed(run.seconds),
        fixed(run.remindersPerSecond, 2),
        pct((run.remindersPerSecond / e2e.bare.remindersPerSecond) * 100),
        fixed(run.latencyP50, 0),
        fixed(run.latencyP99, 0),
        fixed(run.cycleP50, 0),
        cpuSummary(run.cpu, CPU_ORDER),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
  out.push(
    `ratio real/bare ${pct(e2e.ratioPercent, 1)} · real/(bare + bookkeeping) ${pct(e2e.ratioToBookkeepingPercent, 1)} (what our API, HTTP and store cost beyond the engine's bookkeeping) · latency real/bare p50 ×${fixed(e2e.real.latencyP50 / e2e.bare.latencyP50, 2)}, p99 ×${fixed(e2e.real.latencyP99 / e2e.bare.latencyP99, 2)}`,
  );
  out.push(
    `contact policy checks: on ${fixed(e2e.real.remindersPerSecond, 2)} · off ${fixed(e2e.checksOff.remindersPerSecond, 2)} reminders/s → on/off ${pct(e2e.checksOnOffPercent, 1)} · latency on/off p50 ×${fixed(e2e.real.latencyP50 / e2e.checksOff.latencyP50, 2)}, p99 ×${fixed(e2e.real.latencyP99 / e2e.checksOff.latencyP99, 2)}`,
  );
  out.push(
    '(real latency: the stand-in posting `delivered` → saveProjection stamping `completed`; bare: the `delivered` signal sent → the last activity running)',
  );
  out.push('where the time went (worker metrics during each run):');
  out.push(`  real  ${describeBreakdown(e2e.real.time)} | run-queue wait ${waitSummary(e2e.real.cpu)}`);
  out.push(`  off   ${describeBreakdown(e2e.checksOff.time)} | run-queue wait ${waitSummary(e2e.checksOff.cpu)}`);
  out.push(`  bare  ${describeBreakdown(e2e.bare.time)} | run-queue wait ${waitSummary(e2e.bare.cpu)}`);
  out.push(`  bare+ ${describeBreakdown(e2e.bareWithBookkeeping.time)} | run-queue wait ${waitSummary(e2e.bareWithBookkeeping.cpu)}`);
  const realCpu = cpuPerItem(e2e.real.cpu, e2e.real.completed, 's', CPU_ORDER);
  const checksOffCpu = cpuPerItem(e2e.checksOff.cpu, e2e.checksOff.completed, 's', CPU_ORDER);
  const bareCpu = cpuPerItem(e2e.bare.cpu, e2e.bare.completed, 's', CPU_ORDER);
  const bookkeepingCpu = cpuPerItem(e2e.bareWithBookkeeping.cpu, e2e.bareWithBookkeeping.completed, 's', CPU_ORDER);
  out.push('CPU per completed reminder, s, by process (the machine has 2 CPU-seconds per second):');
  out.push(`  real  ${realCpu.text}`);
  out.push(
    `  off   ${checksOffCpu.text}   → with the checks on, the real path costs ×${fixed(realCpu.total / checksOffCpu.total, 2)} this CPU`,
  );
  out.push(`  bare  ${bareCpu.text}   → the real path costs ×${fixed(realCpu.total / bareCpu.total, 2)} the CPU of the bare one`);
  out.push(`  bare+ ${bookkeepingCpu.text}   → the real path costs ×${fixed(realCpu.total / bookkeepingCpu.total, 2)} the CPU of this one`);
  const model = e2e.engineBound;
  const [worker, api, mongo] = ['worker', 'api', 'ferretdb'].map((part) => partCpuPerItem(e2e.real.cpu, part, e2e.real.completed)) as [
    number,
    number,
    number,
  ];
  const bareWorker = partCpuPerItem(e2e.bare.cpu, 'bare-worker', e2e.bare.completed);
  out.push('cluster model (the API, workers and MongoDB on machines of their own and scaled out, so the engine alone sets the rate):');
  out.push(
    `  the engine's CPU per reminder: real ${fixed(model.secondsPerReminder.real, 3)} s · bare ${fixed(model.secondsPerReminder.bare, 3)} s · bare+ ${fixed(model.secondsPerReminder.bareWithBookkeeping, 3)} s → real at ${pct(model.ratioPercent, 0)} of bare, ${pct(model.ratioToBookkeepingPercent, 0)} of bare + bookkeeping`,
  );
  out.push(
    `  what scales out beside it, CPU-seconds per reminder: worker ${fixed(worker, 3)} (bare worker ${fixed(bareWorker, 3)}) · API ${fixed(api, 3)} · MongoDB (FerretDB) ${fixed(mongo, 3)}: one core of each per ${fixed(1 / worker, 0)}, ${fixed(1 / api, 0)} and ${fixed(1 / mongo, 0)} reminders/s`,
  );
  const targets = [
    {
      section: '2',
      target: 'end-to-end reminders/s ≥ 90% of the bare workflow',
      measured: pct(e2e.ratioPercent, 1),
      holds: e2e.ratioPercent >= 90,
    },
    {
      section: '2',
      target: 'contact policy checks cost ≤ 5% of end-to-end reminders/s (on/off ≥ 95%)',
      measured: pct(e2e.checksOnOffPercent, 1),
      holds: e2e.checksOnOffPercent >= 95,
    },
  ];
  return { lines: out, targets };
}
