import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { tools } from '../../../dev/stack/tools';
import type { reminderWorkflow } from '../../../src/workflows';

/** Histories land in test/replay/histories/<HISTORIES_LABEL>/ (default: `latest`). */
export const historiesDir = path.resolve(__dirname, '..', 'histories', process.env.HISTORIES_LABEL ?? 'latest');

/**
 * Waits for the workflow to finish and saves its history as `<name>.json`, in the format of
 * `temporal workflow show --output json` (the CLI's own export, which replay accepts).
 */
export async function saveHistory(client: Client, address: string, workflowId: string, name: string): Promise<void> {
  await client.workflow.getHandle<typeof reminderWorkflow>(workflowId).result();
  const json = execFileSync(tools.temporal, [
    'workflow', 'show', '--workflow-id', workflowId, '--address', address, '--namespace', 'default', '--output', 'json',
  ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(path.join(historiesDir, `${name}.json`), `${JSON.stringify(JSON.parse(json), null, 1)}\n`);
}
