import { randomUUID } from 'node:crypto';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { ReminderActivities } from '../../src/activities';
import type { reminderWorkflow } from '../../src/workflows';
import { reminderWorkflowId, type ReminderWorkflowInput } from '../../src/workflows/definitions';
import { workflowBundle } from './reminder-harness';
import { registerSearchAttributes } from './search-attributes';
import { testStack, uniqueTaskQueue } from './stack';

/**
 * The workflows alone, on the time-skipping test server with stub activities (the samples'
 * way): the worker's activities delegate to `stubs`, which each test sets, so a workflow test
 * needs no server beyond Temporal's test server.
 */
export interface StubWorkflowEnv {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** Replace per test; the worker reads it at each call. */
  stubs: ReminderActivities;
  /** Workflows a test started: one a failed test leaves open must not call the next test's stubs. */
  track<Handle extends { terminate(): Promise<unknown> }>(handle: Handle): Handle;
  terminateTracked(): Promise<void>;
  /** Starts a reminder workflow (an SMS of 10 USD unless `overrides` say otherwise), tracked. */
  startReminder(overrides?: Partial<ReminderWorkflowInput>): Promise<WorkflowHandleWithFirstExecutionRunId<typeof reminderWorkflow>>;
  stop(): Promise<void>;
}

export async function startStubWorkflowEnv(prefix: string, initial: ReminderActivities): Promise<StubWorkflowEnv> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testStack().timeSkippingServer } },
  });
  const taskQueue = uniqueTaskQueue(prefix);
  let started: { terminate(): Promise<unknown> }[] = [];
  const system: StubWorkflowEnv = {
    env,
    taskQueue,
    stubs: initial,
    track(handle) {
      started.push(handle);
      return handle;
    },
    async startReminder(overrides = {}) {
      const input: ReminderWorkflowInput = {
        reminderId: randomUUID(),
        channel: 'sms',
        customer: { id: 'c1', name: 'Ada Lovelace', phone: '+14155550123' },
        payment: { amount: 10, currency: 'USD', dueDate: '2026-12-01', reference: 'INV-1' },
        message: 'A payment is due',
        createdAt: new Date(await env.currentTimeMs()).toISOString(),
        requestFingerprint: 'fingerprint',
        maxAttempts: 3,
        timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' },
        ...overrides,
      };
      const handle = await env.client.workflow.start<typeof reminderWorkflow>('reminderWorkflow', {
        taskQueue,
        workflowId: reminderWorkflowId(input.reminderId),
        args: [input],
      });
      return system.track(handle);
    },
    async terminateTracked() {
      await Promise.all(started.map((handle) => handle.terminate().catch(() => undefined))); // most have completed
      started = [];
    },
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
  let worker: Worker;
  try {
    await registerSearchAttributes(env.connection);
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        sendSms: (request: Parameters<ReminderActivities['sendSms']>[0]) => system.stubs.sendSms(request),
        dispatchCall: (request: Parameters<ReminderActivities['dispatchCall']>[0]) => system.stubs.dispatchCall(request),
        saveProjection: (snapshot: Parameters<ReminderActivities['saveProjection']>[0]) => system.stubs.saveProjection(snapshot),
        saveInvoiceProjection: (snapshot: Parameters<ReminderActivities['saveInvoiceProjection']>[0]) =>
          system.stubs.saveInvoiceProjection(snapshot),
      },
    });
  } catch (error) {
    await env.teardown();
    throw error;
  }
  const running = worker.run();
  return system;
}

/** Polls (in real time: nothing here skips workflow time) until `find` finds something. */
export async function eventually<T>(find: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing found within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
