import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { tools } from '../../../dev/stack/tools';
import type { reminderWorkflow } from '../../../src/workflows';

/**
 * Histories land in test/replay/histories/<version>/, the version in package.json (a release
 * keeps the histories it was released with), or HISTORIES_LABEL when set.
 */
const version = (JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;
export const historiesDir = path.resolve(__dirname, '..', 'histories', process.env.HISTORIES_LABEL ?? version);

/**
 * Waits for the workflow to finish and saves its history as `<name>.json`, in the format of
 * `temporal workflow show --output json` (the CLI's own export, which replay accepts).
 */
export async function saveHistory(client: Client, address: string, workflowId: string, name: string): Promise<void> {
  await client.workflow.getHandle<typeof reminderWorkflow>(workflowId).result();
  const json = execFileSync(
    tools.temporal,
    ['workflow', 'show', '--workflow-id', workflowId, '--address', address, '--namespace', 'default', '--output', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(path.join(historiesDir, `${name}.json`), `${JSON.stringify(JSON.parse(json), null, 1)}\n`);
}
