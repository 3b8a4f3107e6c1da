// Section 5: invoice plans at scale. K invoices through POST /api/invoices, each starting its
// default plan with the due date 30 days ahead, so the first step is weeks away: the plan
// (invoice-<reference>) waits on its own timer for that step's instant, and starts the step's
// reminder (a child workflow) only then (release 1.3.0; 1.2.0's plans started it at once). Measures the worker's memory at rest exactly as section 4 does for reminders
// (at the start of the section, after a warm-up, with all K waiting; each after the idle
// worker rested BENCH_SCALE_SETTLE_SECONDS), per open plan, beside section 4's per reminder
// when both ran. A waiting plan is one workflow: the invoice workflow.
import { DateTime } from 'luxon';
import { createInvoices } from '../lib/api-client';
import type { BenchConfig } from '../lib/config';
import type { HistoryEvent } from '../lib/history-cost';
import { CPU_ORDER, cpuSummary, fixed, table, waitSummary, type SectionReport } from '../lib/report';
import type { Stack } from '../lib/stack';
import { describeBreakdown } from '../lib/worker-metrics';
import { invoiceWorkflowId } from '../../src/workflows/invoice-definitions';
import { exportHistory } from './cost';
import { measureAtRest, SILENT_SMS_NUMBER, startBatchWaiting, type RestedMeasurement, type ScaleResult } from './scale';

/**
 * Workflow tasks a plan runs until it waits, and then none until its first step comes due:
 * its first task records the patch marker and starts the timer for the step's instant. The
 * report checks this count against the first plan's history.
 */
const TASKS_UNTIL_WAITING = 1;

export interface PlansResult extends Omit<RestedMeasurement<unknown>, 'run'> {
  requested: number;
  started: number;
  startSeconds: number;
  startsPerSecond: number;
  allWaitingSeconds: number;
  /** Plans whose first workflow task ran (each waiting on its timer). */
  waiting: number;
  warmup: number;
  /** The first plan, as its histories show it once all were waiting. */
  sample?: { reference: string; workflowTasks: number; waitingOnTimer: boolean; children: number };
}

const PLANS_CUSTOMER = 'bench-plans';

/** Starts `count` plans (first step weeks ahead) and waits until each plan waits on its timer. */
function startWaitingPlans(stack: Stack, config: BenchConfig, log: (line: string) => void, prefix: string, count: number) {
  const dueDate = DateTime.utc().plus({ days: 30 }).toISODate();
  log(
    `starting ${count} invoice plans due ${dueDate} through POST /api/invoices (${config.createConcurrency} at a time, time box ${config.plansStartBudgetSeconds} s) …`,
  );
  const deadline = Date.now() + config.plansStartBudgetSeconds * 1000;
  return startBatchWaiting(stack, log, {
    create: (onCreated) =>
      createInvoices(stack.apiUrl, {
        phone: SILENT_SMS_NUMBER,
        customerId: PLANS_CUSTOMER,
        referencePrefix: prefix,
        count,
        concurrency: config.createConcurrency,
        dueDate,
        deadline,
        onCreated,
      }),
    tasksPerItem: TASKS_UNTIL_WAITING,
    waitBudgetSeconds: config.plansWaitBudgetSeconds,
    waitingFor: 'each plan waits on its timer for its first step',
  });
}

const last = (events: HistoryEvent[]) => events.at(-1)?.eventType.replace('EVENT_TYPE_', '');
const tasksOf = (events: HistoryEvent[]) => events.filter((event) => event.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').length;

/** What the first plan's history says: tasks run, whether it waits on its timer, and children started (none yet). */
async function inspectPlan(stack: Stack, reference: string): Promise<PlansResult['sample']> {
  const parent = (await exportHistory(stack, invoiceWorkflowId(reference))).events;
  const children = parent.filter((event) => event.eventType === 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED').length;
  return { reference, workflowTasks: tasksOf(parent), waitingOnTimer: last(parent) === 'TIMER_STARTED', children };
}

export async function runPlans(stack: Stack, config: BenchConfig, log: (line: string) => void): Promise<PlansResult> {
  const requested = config.plans;
  const { run, ...memory } = await measureAtRest(stack, config, log, {
    warmUp: () => {
      log(`warm-up: ${config.plansWarmup} plans, enough to fill the sticky cache …`);
      return startWaitingPlans(stack, config, log, 'BENCH-PLAN-WARMUP', config.plansWarmup);
    },
    run: () => startWaitingPlans(stack, config, log, 'BENCH-PLAN', requested),
  });
  const { ids: references, startSeconds, waiting, allWaitingSeconds } = run;
  const sample = references[0] ? await inspectPlan(stack, references[0]).catch(() => undefined) : undefined;
  log(
    `  ${waiting}/${references.length} plans waiting after ${allWaitingSeconds.toFixed(1)} s; worker VmRSS ${memory.after.workerRssMiB.toFixed(0)} MiB (max ${memory.workerRssMaxMiB.toFixed(0)}), sticky cache ${memory.after.stickyCacheSize ?? 'n/a'}`,
  );
  return {
    requested,
    started: references.length,
    startSeconds,
    startsPerSecond: references.length / startSeconds,
    allWaitingSeconds,
    waiting,
    warmup: config.plansWarmup,
    ...memory,
    sample,
  };
}

/** KiB per item of a growth in MiB. */
const kibPer = (growthMiB: number, items: number) => (growthMiB * 1024) / Math.max(items, 1);

export function reportPlans(plans: PlansResult, config: BenchConfig, scale?: ScaleResult): SectionReport {
  const rss = (sample: { workerRssMiB: number }) => `${fixed(sample.workerRssMiB, 0)} MiB`;
  const perPlan = kibPer(plans.rssGrowthFromWarmMiB, plans.started);
  const perReminder = scale && kibPer(scale.rssGrowthFromWarmMiB, scale.started);
  const { sample } = plans;
  const rows: (string | number)[][] = [
    [
      'started through POST /api/invoices',
      `${plans.started}/${plans.requested} in ${fixed(plans.startSeconds)} s = ${fixed(plans.startsPerSecond, 1)}/s`,
    ],
    [
      `waiting (each plan on its timer for its first step: ${TASKS_UNTIL_WAITING} workflow task per plan)`,
      `${plans.waiting}/${plans.started} after ${fixed(plans.allWaitingSeconds)} s = ${fixed(plans.waiting / plans.allWaitingSeconds, 1)}/s`,
    ],
    [
      'the first plan, from its histories',
      sample
        ? `${sample.workflowTasks} workflow tasks; ${sample.waitingOnTimer ? 'waiting on its timer' : 'NOT waiting on its timer'}; ${sample.children} reminders started`
        : 'n/a (could not export its histories)',
    ],
    [
      `worker VmRSS: at the start → warm (${plans.warmup} more plans waiting) → all waiting; each after ${plans.settleSeconds} s at rest`,
      `${rss(plans.before)} → ${rss(plans.warm)} → ${rss(plans.after)} (max sampled ${fixed(plans.workerRssMaxMiB, 0)} MiB)`,
    ],
    [
      'the same, as soon as the worker went idle (before resting)',
      `${fixed(plans.before.beforeRestRssMiB, 0)} MiB → ${fixed(plans.warm.beforeRestRssMiB, 0)} MiB → ${fixed(plans.after.beforeRestRssMiB, 0)} MiB: +${fixed(plans.after.beforeRestRssMiB - plans.warm.beforeRestRssMiB, 0)} MiB from warm`,
    ],
    [
      `worker RSS growth over the ${plans.started} plans (from warm)`,
      `${fixed(plans.rssGrowthFromWarmMiB, 0)} MiB = ${fixed(perPlan, 2)} KiB per open plan (one workflow each)`,
    ],
    [
      "section 4's reminders, same run (from warm)",
      scale && perReminder !== undefined
        ? `${fixed(scale.rssGrowthFromWarmMiB, 0)} MiB over ${scale.started} = ${fixed(perReminder, 2)} KiB per waiting reminder → ${
            perPlan > 0 && perReminder > 0
              ? `a plan at ×${fixed(perPlan / perReminder, 2)} a reminder`
              : 'no ratio: a growth at or below zero is within what resting leaves (run more of each)'
          }`
        : 'n/a (section 4 did not run)',
    ],
    [
      'worker RSS growth from the start of the section',
      `${fixed(plans.rssGrowthMiB, 0)} MiB (of which the warm-up: ${fixed(plans.warm.workerRssMiB - plans.before.workerRssMiB, 0)} MiB)`,
    ],
    [
      'sticky cache size (temporal_sticky_cache_size) at the start → warm → all waiting',
      `${plans.before.stickyCacheSize ?? 'n/a'} → ${plans.warm.stickyCacheSize ?? 'n/a'} → ${plans.after.stickyCacheSize ?? 'n/a'}`,
    ],
    ['maxCachedWorkflows (WORKER_MAX_CACHED_WORKFLOWS)', String(config.maxCachedWorkflows)],
    ['worker V8 flags (NODE_OPTIONS)', config.workerNodeOptions || "V8's defaults"],
    [
      'Temporal dev server VmRSS at the start → all waiting',
      `${fixed(plans.before.temporalRssMiB, 0)} → ${fixed(plans.after.temporalRssMiB, 0)} MiB`,
    ],
    ['FerretDB VmRSS at the start → all waiting', `${fixed(plans.before.ferretdbRssMiB, 0)} → ${fixed(plans.after.ferretdbRssMiB, 0)} MiB`],
    ['CPU while starting', cpuSummary(plans.cpu, CPU_ORDER)],
    ['run-queue wait', waitSummary(plans.cpu)],
    ['where the time went', describeBreakdown(plans.time)],
  ];
  const out = [
    '',
    `== 5. Plans at scale: up to ${plans.requested} invoice plans open, each waiting on its timer for its first step (due date in 30 days; start box ${config.plansStartBudgetSeconds} s, wait box ${config.plansWaitBudgetSeconds} s) ==`,
    table(['measure', 'value'], rows, ['l', 'l']),
  ];
  if (sample && sample.workflowTasks !== TASKS_UNTIL_WAITING)
    out.push(
      `note: the first plan ran ${sample.workflowTasks} workflow tasks, not ${TASKS_UNTIL_WAITING}: the waiting count is off by that factor`,
    );
  return { lines: out, targets: [] };
}
