// Section 3: cost per reminder, from real histories: the committed test/replay/histories/v3
// (one real history per path, captured by `npm run histories:capture`) and fresh ones this
// run exported with `temporal workflow show --output json` (the same format).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot, tools } from '../../dev/stack/tools';
import { CHANGE_VERSION_ATTRIBUTE, historyCost, type HistoryCost } from '../lib/history-cost';
import type { Stack } from '../lib/stack';

const run = promisify(execFile);

export interface CostRow {
  path: string;
  source: string;
  cost: HistoryCost;
}

export interface CostResult {
  rows: CostRow[];
  /** The SMS happy path (committed v3 sms-delivered), each action listed. */
  smsHappyPath: CostRow;
  /** The same history without the patch's marker and TemporalChangeVersion upsert: the cost once the patch is retired. */
  smsHappyPathPatchRetired: CostRow;
  /** Fresh SMS delivered histories from section 2, for comparison with the committed one. */
  freshSmsDelivered: CostRow[];
}

/** The paths the brief asks about first, then every other committed one. */
const FOCUS = ['sms-delivered', 'call-completed', 'call-retried-then-completed', 'sms-undelivered-retried', 'call-timeout-max-attempts', 'sms-timeout'];

export function committedRows(set = 'v3'): CostRow[] {
  const dir = path.join(projectRoot, 'test', 'replay', 'histories', set);
  const names = readdirSync(dir).filter((file) => file.endsWith('.json')).map((file) => file.replace(/\.json$/, ''));
  names.sort((a, b) => (FOCUS.includes(a) ? FOCUS.indexOf(a) : 99) - (FOCUS.includes(b) ? FOCUS.indexOf(b) : 99) || a.localeCompare(b));
  return names.map((name) => ({
    path: name,
    source: `committed ${set}`,
    cost: historyCost(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'))),
  }));
}

function readCommitted(set: string, name: string): { events: Record<string, any>[] } {
  return JSON.parse(readFileSync(path.join(projectRoot, 'test', 'replay', 'histories', set, `${name}.json`), 'utf8'));
}

/**
 * A history as workflows will write it once a patch is retired (its patched() call removed):
 * without the patch marker and the TemporalChangeVersion upsert the SDK adds beside it.
 */
export function withoutPatchBookkeeping(history: { events: Record<string, any>[] }): { events: Record<string, any>[] } {
  return {
    events: history.events.filter((event) =>
      !(event.eventType === 'EVENT_TYPE_MARKER_RECORDED' && event.markerRecordedEventAttributes?.markerName === 'core_patch') &&
      !(event.eventType === 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES' &&
        CHANGE_VERSION_ATTRIBUTE in (event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}))),
  };
}

export async function exportHistory(stack: Stack, workflowId: string): Promise<{ events: Record<string, unknown>[] }> {
  const { stdout } = await run(tools.temporal, [
    'workflow', 'show', '--workflow-id', workflowId, '--address', stack.temporalAddress, '--namespace', 'default', '--output', 'json',
  ], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as { events: Record<string, unknown>[] };
}

export async function runCost(
  stack: Stack | undefined,
  fresh: { path: string; workflowId: string }[],
  log: (line: string) => void,
): Promise<CostResult> {
  const rows = committedRows('v3');
  const happyHistory = readCommitted('v3', 'sms-delivered');
  const patchRetired: CostRow = {
    path: 'sms-delivered, once record-on-dispatch is retired (computed)',
    source: 'committed v3 minus patch bookkeeping',
    cost: historyCost(withoutPatchBookkeeping(happyHistory)),
  };
  rows.push(patchRetired);
  for (const [set, label] of [['v2', 'before record-on-dispatch'], ['v1', 'before the one-timer patch']] as const) {
    const earlier = committedRows(set).find((row) => row.path === 'sms-delivered');
    if (earlier) rows.push({ ...earlier, path: `sms-delivered (${label})` });
  }
  const freshRows: CostRow[] = [];
  if (stack) {
    for (const { path: name, workflowId } of fresh) {
      try {
        freshRows.push({ path: name, source: `this run: ${workflowId.slice(0, 24)}`, cost: historyCost(await exportHistory(stack, workflowId)) });
      } catch (error) {
        log(`  could not export ${workflowId}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  return {
    rows: [...rows, ...freshRows],
    smsHappyPath: rows.find((row) => row.path === 'sms-delivered')!,
    smsHappyPathPatchRetired: patchRetired,
    freshSmsDelivered: freshRows.filter((row) => row.path.startsWith('sms-delivered')),
  };
}
