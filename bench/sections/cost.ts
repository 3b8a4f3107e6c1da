// Section 3: cost per reminder, from real histories: the committed test/replay/histories/v2
// (one real history per path, captured by `npm run histories:capture`) and fresh ones this
// run exported with `temporal workflow show --output json` (the same format).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot, tools } from '../../dev/stack/tools';
import { historyCost, type HistoryCost } from '../lib/history-cost';
import type { Stack } from '../lib/stack';

const run = promisify(execFile);

export interface CostRow {
  path: string;
  source: string;
  cost: HistoryCost;
}

export interface CostResult {
  rows: CostRow[];
  /** The SMS happy path (committed v2 sms-delivered), each action listed. */
  smsHappyPath: CostRow;
  /** Fresh SMS delivered histories from section 2, for comparison with the committed one. */
  freshSmsDelivered: CostRow[];
}

/** The paths the brief asks about first, then every other committed one. */
const FOCUS = ['sms-delivered', 'call-completed', 'call-retried-then-completed', 'sms-undelivered-retried', 'call-timeout-max-attempts', 'sms-timeout'];

export function committedRows(set = 'v2'): CostRow[] {
  const dir = path.join(projectRoot, 'test', 'replay', 'histories', set);
  const names = readdirSync(dir).filter((file) => file.endsWith('.json')).map((file) => file.replace(/\.json$/, ''));
  names.sort((a, b) => (FOCUS.includes(a) ? FOCUS.indexOf(a) : 99) - (FOCUS.includes(b) ? FOCUS.indexOf(b) : 99) || a.localeCompare(b));
  return names.map((name) => ({
    path: name,
    source: `committed ${set}`,
    cost: historyCost(JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8'))),
  }));
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
  const rows = committedRows('v2');
  const v1 = committedRows('v1').find((row) => row.path === 'sms-delivered');
  if (v1) rows.push({ ...v1, path: 'sms-delivered (before the one-timer patch)' });
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
    freshSmsDelivered: freshRows.filter((row) => row.path.startsWith('sms-delivered')),
  };
}
