import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { tools } from '../../dev/stack/tools';
import { reminderQuery, reminderWorkflowId, rescheduleReminderUpdate, retryNowUpdate } from '../../src/workflows/definitions';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { testStack } from '../support/stack';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

/** What the README tells operators to do, done against the real dev server. */
/** One line of `temporal workflow list --output json`, as far as these tests read it. */
interface ListedWorkflow {
  execution: { workflowId: string };
}

describe('operator actions and queries', () => {
  let harness: ReminderHarness;
  const customerId = `ops-${randomUUID()}`;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  const handle = (reminderId: string) => harness.client.workflow.getHandle(reminderWorkflowId(reminderId));
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof WorkflowUpdateFailedError ? error.cause?.message : String(error)),
    );
  const listIds = (query: string): string[] => {
    const out = execFileSync(
      tools.temporal,
      ['workflow', 'list', '--address', testStack().temporalAddress, '--query', query, '--output', 'json'],
      { encoding: 'utf8' },
    );
    const parsed = (out.trim() ? JSON.parse(out) : []) as ListedWorkflow | ListedWorkflow[];
    return (Array.isArray(parsed) ? parsed : [parsed]).map((listed) => listed.execution.workflowId);
  };
  const eventually = async <T>(read: () => T, ok: (value: T) => boolean): Promise<T> => {
    for (let tries = 0; ; tries++) {
      const value = read();
      if (ok(value) || tries > 50) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('retries a pending reminder now, and reschedules only a pending one', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ sendAt, customer: { id: customerId, name: 'Ops', phone: '+14155550601' } }),
    );
    const reminderId = created.body.reminderId;

    expect(await rejection(handle(reminderId).executeUpdate(rescheduleReminderUpdate, { args: [{ at: 'next tuesday' }] }))).toBe(
      '"next tuesday" is not an ISO timestamp',
    );
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const rescheduled = await handle(reminderId).executeUpdate(rescheduleReminderUpdate, { args: [{ at: later }] });
    expect(rescheduled).toMatchObject({ status: 'pending', nextAttemptAt: later });

    await handle(reminderId).executeUpdate(retryNowUpdate);
    await harness.waitForReminder(reminderId, (r) => r.status === 'completed');
    expect(await rejection(handle(reminderId).executeUpdate(retryNowUpdate))).not.toBe('accepted');
  });

  it('rejects retry now while an attempt is out, and changes nothing', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: { id: customerId, name: 'Ops', phone: SCRIPTED_NUMBERS.SMS_NO_CALLBACK } }),
    );
    const reminderId = created.body.reminderId;
    await harness.waitForReminder(reminderId, (r) => r.status === 'in_progress');
    const before = await handle(reminderId).query(reminderQuery);
    expect(await rejection(handle(reminderId).executeUpdate(retryNowUpdate))).toBe(
      'only a pending reminder can be retried now (it is in_progress)',
    );
    expect((await handle(reminderId).query(reminderQuery)).version).toBe(before.version);
    await harness.api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'operator test over' });
  });

  it('finds reminders by customer and status with the README queries', async () => {
    const ids = await eventually(
      () => listIds(`CustomerId='${customerId}'`),
      (found) => found.length === 2,
    );
    expect(ids).toHaveLength(2);
    const cancelled = await eventually(
      () =>
        listIds(
          `CustomerId='${customerId}' AND ReminderStatus='cancelled' AND CloseTime > '${new Date(Date.now() - 3_600_000).toISOString()}'`,
        ),
      (found) => found.length === 1,
    );
    expect(cancelled).toHaveLength(1);
    expect(listIds(`CustomerId='${customerId}' AND ReminderChannel='call'`)).toEqual([]);
  });
});
