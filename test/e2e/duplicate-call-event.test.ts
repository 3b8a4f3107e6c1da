import type { WorkflowHandle } from '@temporalio/client';
import { reminderQuery, reminderWorkflowId } from '../../src/workflows/definitions';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { postCallEvent } from '../support/signed-requests';

/**
 * The API answers without reading the reminder's state (one call to Temporal on the hot
 * path), so a duplicate of an event the workflow already applied is `signalled`, and the
 * workflow's status machine ignores it; `ignored` is the answer once the reminder has ended.
 */
describe('a duplicate call_answered while the reminder is processing', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  it('is signalled, and the workflow changes nothing', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({
        channel: 'call',
        customer: { id: 'duplicate', name: 'Hook', phone: SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT },
      }),
    );
    const reminderId = created.body.reminderId;
    await harness.waitForReminder(reminderId, (reminder) => reminder.status === 'in_progress');
    const answered = { reminder_id: reminderId, event_type: 'call_answered', attempt: 1 };
    expect(await postCallEvent(harness.baseUrl, answered)).toEqual({ status: 200, body: { received: true, outcome: 'signalled' } });
    const processing = await harness.waitForReminder(reminderId, (reminder) => reminder.status === 'processing');
    const handle = harness.client.workflow.getHandle(reminderWorkflowId(reminderId));
    const before = await handle.query(reminderQuery);

    expect(await postCallEvent(harness.baseUrl, answered)).toEqual({ status: 200, body: { received: true, outcome: 'signalled' } });
    await workflowTookSignals(handle, 2);
    expect(await handle.query(reminderQuery)).toEqual(before);
    const after = await harness.api('GET', `/api/reminders/${reminderId}`);
    expect(after.body).toMatchObject({ status: 'processing', history: processing.history });
    await harness.api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'test over' });
  });
});

/** Waits until the workflow has run a task after its `count`th signal (so a query sees what it did). */
async function workflowTookSignals(handle: WorkflowHandle, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const events = (await handle.fetchHistory()).events ?? [];
    const signals = events.flatMap((event, index) => (event.workflowExecutionSignaledEventAttributes ? [index] : []));
    const nthSignal = signals[count - 1];
    if (nthSignal !== undefined && events.slice(nthSignal).some((event) => event.workflowTaskCompletedEventAttributes)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the workflow did not take ${count} signals within 30 s`);
}
