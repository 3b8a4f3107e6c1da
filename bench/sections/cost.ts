// Section 3: cost per reminder, from real histories: the newest released set committed under
// test/replay/histories/<version> (one real history per path, captured by `npm run
// histories:capture`), the SMS happy path of each older set, and fresh ones this run exported
// with `temporal workflow show --output json` (the same format). Invoice plans (a parent and
// its step reminders, several files per plan) are priced apart, in plan-cost.ts.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot, tools } from '../../dev/stack/tools';
import {
  CHANGE_VERSION_ATTRIBUTE,
  COST_COLUMNS,
  costCells,
  historyCost,
  type HistoryCost,
  type WorkflowHistory,
} from '../lib/history-cost';
import { table, type SectionReport } from '../lib/report';
import type { Stack } from '../lib/stack';
import { planCosts, planFiles, reportPlanCost, type PlanCostResult } from './plan-cost';

const run = promisify(execFile);

export interface CostRow {
  path: string;
  source: string;
  cost: HistoryCost;
}

export interface CostResult {
  rows: CostRow[];
  /** The released set the committed rows come from (e.g. `1.0.0`). */
  set: string;
  /** The SMS happy path (the set's sms-delivered), each action listed. */
  smsHappyPath: CostRow;
  /**
   * The same history without patch markers and their TemporalChangeVersion upserts: the cost
   * once its patches are retired; absent when it has none.
   */
  smsHappyPathPatchRetired?: CostRow;
  /** Fresh SMS delivered histories from section 2, for comparison with the committed one. */
  freshSmsDelivered: CostRow[];
  /** Invoice plans: parent, children, total, beside the same contacts as standalone reminders. */
  plans: PlanCostResult;
}

/** The paths the brief asks about first, then every other committed one. */
const FOCUS = [
  'sms-delivered',
  'call-completed',
  'call-retried-then-completed',
  'sms-undelivered-retried',
  'call-timeout-max-attempts',
  'sms-timeout',
];

const HISTORIES = path.join(projectRoot, 'test', 'replay', 'histories');

/**
 * The released history sets, oldest release first (`1.0.0` < `1.2.0` < `1.10.0`). Only
 * version-named folders: a capture's scratch label (HISTORIES_LABEL) is not a release.
 */
export function historySets(): string[] {
  const sets = readdirSync(HISTORIES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d+(\.\d+)*$/.test(entry.name))
    .map((entry) => entry.name);
  return sets.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** One row per single reminder's path in the set (a plan's files are priced per plan instead). */
export function committedRows(set: string): CostRow[] {
  const dir = path.join(HISTORIES, set);
  const planParts = new Set([...planFiles(dir)].flatMap(([plan, children]) => [plan, ...children]));
  const names = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''))
    .filter((name) => !planParts.has(name));
  names.sort((a, b) => (FOCUS.includes(a) ? FOCUS.indexOf(a) : 99) - (FOCUS.includes(b) ? FOCUS.indexOf(b) : 99) || a.localeCompare(b));
  return names.map((name) => ({
    path: name,
    source: `committed ${set}`,
    cost: historyCost(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as WorkflowHistory),
  }));
}

function readCommitted(set: string, name: string): WorkflowHistory {
  return JSON.parse(readFileSync(path.join(HISTORIES, set, `${name}.json`), 'utf8')) as WorkflowHistory;
}

/**
 * A history as workflows will write it once a patch is retired (its patched() call removed):
 * without the patch marker and the TemporalChangeVersion upsert the SDK adds beside it.
 */
export function withoutPatchBookkeeping(history: WorkflowHistory): WorkflowHistory {
  return {
    events: history.events.filter(
      (event) =>
        !(event.eventType === 'EVENT_TYPE_MARKER_RECORDED' && event.markerRecordedEventAttributes?.markerName === 'core_patch') &&
        !(
          event.eventType === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES' &&
          CHANGE_VERSION_ATTRIBUTE in (event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {})
        ),
    ),
  };
}

export async function exportHistory(stack: Stack, workflowId: string): Promise<WorkflowHistory> {
  const { stdout } = await run(
    tools.temporal,
    ['workflow', 'show', '--workflow-id', workflowId, '--address', stack.temporalAddress, '--namespace', 'default', '--output', 'json'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as WorkflowHistory;
}

/**
 * `planHistoriesDir`: where the plan histories are read from (BENCH_PLAN_HISTORIES_DIR);
 * the newest committed set by default.
 */
export async function runCost(
  stack: Stack | undefined,
  fresh: { path: string; workflowId: string }[],
  log: (line: string) => void,
  planHistoriesDir?: string,
): Promise<CostResult> {
  const sets = historySets();
  const set = sets.at(-1);
  if (!set) throw new Error('no committed histories under test/replay/histories');
  const rows = committedRows(set);
  // A single reminder's committed path, from the newest set that has it: the plans' baseline.
  const newestFirst = sets.map((name) => ({ name, rows: name === set ? rows : committedRows(name) })).reverse();
  const standalone = (name: string) => {
    for (const { name: setName, rows: setRows } of newestFirst) {
      const row = setRows.find((candidate) => candidate.path === name);
      if (row) return { cost: row.cost, source: `committed ${setName}` };
    }
    return undefined;
  };
  const plans = planCosts(planHistoriesDir ?? path.join(HISTORIES, set), standalone);
  if (!rows.some((row) => row.path === 'sms-delivered'))
    throw new Error(`the newest set, ${set}, has no sms-delivered.json (is its capture still running?)`);
  const happyHistory = readCommitted(set, 'sms-delivered');
  const withoutPatches = withoutPatchBookkeeping(happyHistory);
  const patchRetired: CostRow | undefined =
    withoutPatches.events.length === happyHistory.events.length
      ? undefined
      : {
          path: 'sms-delivered, once its patches are retired (computed)',
          source: `committed ${set} minus patch bookkeeping`,
          cost: historyCost(withoutPatches),
        };
  if (patchRetired) rows.push(patchRetired);
  for (const earlierSet of sets.slice(0, -1).reverse()) {
    const earlier = committedRows(earlierSet).find((row) => row.path === 'sms-delivered');
    if (earlier) rows.push({ ...earlier, path: `sms-delivered (release ${earlierSet})` });
  }
  const freshRows: CostRow[] = [];
  if (stack) {
    for (const { path: name, workflowId } of fresh) {
      try {
        freshRows.push({
          path: name,
          source: `this run: ${workflowId.slice(0, 24)}`,
          cost: historyCost(await exportHistory(stack, workflowId)),
        });
      } catch (error) {
        log(`  could not export ${workflowId}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  return {
    rows: [...rows, ...freshRows],
    set,
    smsHappyPath: rows.find((row) => row.path === 'sms-delivered')!,
    smsHappyPathPatchRetired: patchRetired,
    freshSmsDelivered: freshRows.filter((row) => row.path.startsWith('sms-delivered')),
    plans: { ...plans, dir: plans.dir.startsWith(projectRoot) ? path.relative(projectRoot, plans.dir) : plans.dir },
  };
}

export function reportCost(cost: CostResult): SectionReport {
  const out: string[] = [];
  out.push('', '== 3. Cost per reminder: history events and Temporal Cloud billable actions per path ==');
  out.push(
    table(
      ['path', 'source', ...COST_COLUMNS],
      cost.rows.map(({ path: name, source, cost: c }) => [name, source, ...costCells(c)]),
      ['l', 'l'],
    ),
  );
  const happy = cost.smsHappyPath.cost;
  const retired = cost.smsHappyPathPatchRetired?.cost;
  out.push('', `SMS happy path (committed ${cost.set} sms-delivered): ${happy.actions} actions, ${happy.events} events — each action:`);
  happy.items.forEach((item, index) =>
    out.push(`  ${String(index + 1).padStart(2)}. [event ${String(item.eventId).padStart(2)}] ${item.kind.padEnd(17)} ${item.what}`),
  );
  happy.notBilled.forEach((item) =>
    out.push(`  not billed: [event ${String(item.eventId).padStart(2)}] ${item.kind.padEnd(17)} ${item.what}`),
  );
  const fresh = cost.freshSmsDelivered.map((row) => `${row.cost.actions} actions/${row.cost.events} events`).join(', ');
  if (fresh) out.push(`fresh SMS delivered histories from this run: ${fresh}`);
  if (retired)
    out.push(
      `once its patches are retired (no markers, no TemporalChangeVersion upserts): ${retired.actions} actions, ${retired.events} events`,
    );
  out.push(...reportPlanCost(cost.plans));
  const targets = [
    { section: '3', target: 'SMS happy path ≤ 7 billable actions', measured: String(happy.actions), holds: happy.actions <= 7 },
    { section: '3', target: 'SMS happy path ≤ 30 history events', measured: String(happy.events), holds: happy.events <= 30 },
  ];
  return { lines: out, targets };
}
