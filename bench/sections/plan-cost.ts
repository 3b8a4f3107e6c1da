// Section 3, invoice plans: what a dunning plan costs in billable actions and history events,
// from captured histories named as the capture names them: a plan's parent `<plan>.json`
// (the invoice workflow) and its step reminders `<plan>--reminder-<n>.json` (n = the order
// the plan started them). Beside each plan: the same contacts as standalone reminders (each
// child's channel and outcome mapped to the committed path a single reminder takes), so the
// plan's overhead is the total minus that sum.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  COST_COLUMNS,
  costCells,
  decode,
  differenceOf,
  historyCost,
  sumCosts,
  type CostTotals,
  type HistoryCost,
  type WorkflowHistory,
} from '../lib/history-cost';
import { table } from '../lib/report';

/** The plans the issue asks about; others found beside them are reported too. */
export const EXPECTED_PLANS = ['plan-delivered', 'plan-paid-after-first-step'];

const CHILD = /^(.+)--reminder-(\d+)$/;

export interface PlanChild {
  name: string;
  channel?: string;
  status?: string;
  cost: HistoryCost;
  /** The committed path a single reminder with this channel and outcome takes, when there is one. */
  standalone?: { path: string; source: string; cost: HistoryCost };
}

export interface PlanCost {
  plan: string;
  parent: HistoryCost;
  children: PlanChild[];
  childrenSum: CostTotals;
  total: CostTotals;
  /** The children as standalone reminders; absent when a child has no standalone path. */
  standalone?: CostTotals & { paths: string[]; source: string };
  /** total − standalone. */
  overhead?: CostTotals;
}

export interface PlanCostResult {
  /** Where the plan histories were read from. */
  dir: string;
  plans: PlanCost[];
  /** Expected plans with no parent history (or no child) in `dir`. */
  missing: string[];
}

/** `<plan>` → its children's names in start order, for every plan history in `dir`. */
export function planFiles(dir: string): Map<string, string[]> {
  const names = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.json')) : [];
  const plans = new Map<string, string[]>();
  const children = names
    .map((file) => CHILD.exec(file.replace(/\.json$/, '')))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(a[2]) - Number(b[2]));
  for (const [name, plan] of children) {
    if (!names.includes(`${plan}.json`)) continue;
    plans.set(plan!, [...(plans.get(plan!) ?? []), name]);
  }
  return plans;
}

/** A single reminder's committed path with the same channel and outcome as this step reminder. */
export function standalonePathOf(channel: string | undefined, status: string | undefined, attempt = 0): string | undefined {
  if (status === 'completed') return channel === 'call' ? 'call-completed' : channel === 'sms' ? 'sms-delivered' : undefined;
  // Stopped before its first attempt (a payment): a standalone reminder cancelled before its send.
  if (status === 'cancelled' && attempt === 0) return 'cancelled-before-send';
  return undefined;
}

const read = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as WorkflowHistory;

function describeChild(history: WorkflowHistory): { channel?: string; status?: string; attempt?: number } {
  const started = history.events.find((event) => event.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
  const completed = history.events.find((event) => event.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  const input = decode(started?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]) as { channel?: string } | undefined;
  const result = decode(completed?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0]) as
    { status?: string; attempt?: number } | undefined;
  return { channel: input?.channel, status: result?.status, attempt: result?.attempt };
}

/**
 * Reads every plan in `dir` and prices it beside its contacts as standalone reminders;
 * `standalone(path)` gives a committed single-reminder path's cost and the set it is from.
 */
export function planCosts(dir: string, standalone: (path: string) => { cost: HistoryCost; source: string } | undefined): PlanCostResult {
  const files = planFiles(dir);
  const order = [
    ...EXPECTED_PLANS.filter((plan) => files.has(plan)),
    ...[...files.keys()].filter((plan) => !EXPECTED_PLANS.includes(plan)).sort(),
  ];
  const plans = order.map((plan): PlanCost => {
    const parent = historyCost(read(dir, plan));
    const children = files.get(plan)!.map((name): PlanChild => {
      const history = read(dir, name);
      const { channel, status, attempt } = describeChild(history);
      const equivalent = standalonePathOf(channel, status, attempt);
      const found = equivalent ? standalone(equivalent) : undefined;
      return {
        name,
        channel,
        status,
        cost: historyCost(history),
        standalone: found && equivalent ? { path: equivalent, ...found } : undefined,
      };
    });
    const childrenSum = sumCosts(children.map((child) => child.cost));
    const total = sumCosts([parent, childrenSum]);
    const complete = children.every((child) => child.standalone);
    const baseline = complete
      ? {
          ...sumCosts(children.map((child) => child.standalone!.cost)),
          paths: children.map((child) => child.standalone!.path),
          source: [...new Set(children.map((child) => child.standalone!.source))].join(', '),
        }
      : undefined;
    return { plan, parent, children, childrenSum, total, standalone: baseline, overhead: baseline && differenceOf(total, baseline) };
  });
  return { dir, plans, missing: EXPECTED_PLANS.filter((plan) => !files.has(plan)) };
}

const signed = (value: number) => (value > 0 ? `+${value}` : String(value));
/** "+4 child starts · +4 timers …": the non-zero kinds of a difference. */
const kinds = (c: CostTotals) =>
  (
    [
      ['start', c.breakdown.start],
      ['child starts', c.breakdown.childStarts],
      ['signals', c.breakdown.signals],
      ['timers', c.breakdown.timers],
      ['activities', c.breakdown.activities],
      ['retries', c.breakdown.activityRetries],
      ['SA upserts', c.breakdown.upserts],
      ['updates', c.breakdown.updates],
      ['LA tasks', c.breakdown.localActivityTasks],
    ] as const
  )
    .filter(([, value]) => value !== 0)
    .map(([name, value]) => `${signed(value)} ${name}`)
    .join(' · ') || 'none';

/** "2 × sms-delivered + 2 × call-completed", in the order the plan ran them. */
const baselineName = (paths: string[]) => {
  const counts = new Map<string, number>();
  for (const name of paths) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${count} × ${name}`).join(' + ');
};

/** The plan's timer for a step's instant: its summary is the plan's `waitingFor`, `step <n> (<channel>) due at …`. */
const STEP_TIMER = /^timer .*: "step \d+ \((sms|call)\) due at /;

/**
 * The overhead by what it is for. It is the parent's actions plus what the step reminders cost
 * beyond their standalone paths; the parent's split into what child workflows cost, the
 * cadence's timers (which standalone reminders scheduled at the same instants would pay too),
 * and the rest: its start, what it was told (payments, operator updates) and its own records.
 */
export function splitOverhead(plan: PlanCost): { childHalves: number; stepTimers: number; remaining: number; childrenDelta: number } {
  const childHalves = plan.parent.breakdown.childStarts;
  const stepTimers = plan.parent.items.filter((item) => item.kind === 'timer' && STEP_TIMER.test(item.what)).length;
  const childrenDelta = plan.standalone ? plan.childrenSum.actions - plan.standalone.actions : 0;
  return { childHalves, stepTimers, remaining: plan.parent.actions - childHalves - stepTimers, childrenDelta };
}

export function reportPlanCost(result: PlanCostResult): string[] {
  const out: string[] = [
    '',
    `Invoice plans: the parent (invoiceWorkflow), its step reminders (child reminderWorkflows) and the same contacts as standalone reminders (${result.dir}):`,
  ];
  if (result.missing.length > 0)
    out.push(
      `  skipped: no plan histories for ${result.missing.join(', ')} in ${result.dir} (a plan's parent <plan>.json beside its children <plan>--reminder-<n>.json)`,
    );
  if (result.plans.length === 0) return out;
  const rows = result.plans.flatMap((plan) => [
    [plan.plan, 'parent', ...costCells(plan.parent)],
    [plan.plan, `${plan.children.length} step reminders, summed`, ...costCells(plan.childrenSum)],
    [plan.plan, 'total', ...costCells(plan.total)],
    ...(plan.standalone && plan.overhead
      ? [
          [plan.plan, `standalone: ${baselineName(plan.standalone.paths)}`, ...costCells(plan.standalone)],
          [plan.plan, 'overhead = total − standalone', ...costCells(plan.overhead).map((value) => signed(value))],
        ]
      : [[plan.plan, 'standalone: n/a (a child with no standalone path)']]),
  ]);
  out.push(table(['plan', 'part', ...COST_COLUMNS], rows, ['l', 'l']));
  for (const plan of result.plans) {
    out.push('', `${plan.plan}: parent ${plan.parent.actions} actions, ${plan.parent.events} events — each action:`);
    plan.parent.items.forEach((item, index) =>
      out.push(`  ${String(index + 1).padStart(2)}. [event ${String(item.eventId).padStart(2)}] ${item.kind.padEnd(17)} ${item.what}`),
    );
    plan.parent.notBilled.forEach((item) =>
      out.push(`  not billed here: [event ${String(item.eventId).padStart(2)}] ${item.kind.padEnd(17)} ${item.what}`),
    );
    for (const child of plan.children) {
      const against = child.standalone
        ? ` vs ${child.standalone.path} (${child.standalone.source}) ${child.standalone.cost.actions}/${child.standalone.cost.events}: ${kinds(differenceOf(child.cost, child.standalone.cost))}`
        : ' (no standalone path)';
      out.push(
        `  ${child.name} (${child.channel ?? '?'}, ${child.status ?? '?'}): ${child.cost.actions} actions/${child.cost.events} events${against}`,
      );
    }
    if (plan.standalone && plan.overhead) {
      const { childHalves, stepTimers, remaining, childrenDelta } = splitOverhead(plan);
      out.push(
        `  overhead: ${signed(plan.overhead.actions)} actions (${kinds(plan.overhead)}), ${signed(plan.overhead.events)} events; ` +
          `total/standalone ×${(plan.total.actions / plan.standalone.actions).toFixed(2)} actions, ×${(plan.total.events / plan.standalone.events).toFixed(2)} events`,
        `    = the step reminders beyond their standalone paths, ${signed(childrenDelta)} (a call's timers depend on when its reports arrive), ` +
          `+ the parent's ${plan.parent.actions}: ${childHalves} its half of each child workflow's two actions; ${stepTimers} its timers for ` +
          `its steps' instants (a standalone reminder scheduled at the instant pays the same timer in its own history); ${remaining} the ` +
          `rest (its start, what it was told: payments and operators' updates, and its own records: status upserts and projection writes)`,
      );
    }
  }
  return out;
}
