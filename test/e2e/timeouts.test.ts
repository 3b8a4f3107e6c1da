import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CALL_TIMEOUT_REASON, SMS_TIMEOUT_REASON } from '../../src/domain/reminder';
import { reminderWorkflowId } from '../../src/workflows/definitions';
import type { reminderWorkflow } from '../../src/workflows';
import { reminderRequest, type ReminderHarness } from '../support/reminder-harness';
import { startTimeSkippingSystem, type TimeSkippingSystem } from '../support/time-skipping';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

/**
 * The 10-minute timer that replaced the cron monitor, on the time-skipping test server:
 * the real timeouts (10 minutes per attempt, 15 minutes between attempts) pass in seconds.
 */
describe('reminders nobody reports on (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let harness: ReminderHarness;
  let system: TimeSkippingSystem;
  beforeAll(async () => {
    system = await startTimeSkippingSystem();
    ({ env, harness } = system);
  });
  afterAll(() => system?.stop());

  it('fails a call after 10 minutes without a webhook, retries, and fails for good after maxAttempts', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({
        channel: 'call',
        customer: { id: 'cust-t1', name: 'Nobody Home', phone: SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT },
      }),
    );
    expect(created.status).toBe(201);
    const reminderId = created.body.reminderId;
    const startedAt = await env.currentTimeMs();

    const final = await env.client.workflow.getHandle<typeof reminderWorkflow>(reminderWorkflowId(reminderId)).result();

    expect(final).toMatchObject({ status: 'failed', attempt: 3, skipReason: CALL_TIMEOUT_REASON });
    const timeouts = final.history.filter((entry) => entry.status === 'failed');
    expect(timeouts.map((entry) => entry.reason)).toEqual([CALL_TIMEOUT_REASON, CALL_TIMEOUT_REASON, CALL_TIMEOUT_REASON]);
    // 3 attempts × 10 minutes of waiting + 2 backoffs × 15 minutes, in test-server time.
    const elapsedMinutes = ((await env.currentTimeMs()) - startedAt) / 60_000;
    expect(elapsedMinutes).toBeGreaterThanOrEqual(60);
    const firstDispatch = Date.parse(final.history.find((entry) => entry.status === 'in_progress')!.at);
    // The timer fires exactly 10 minutes after dispatch; the task that handles it starts a few ms later.
    const waited = Date.parse(timeouts[0]!.at) - firstDispatch;
    expect(waited).toBeGreaterThanOrEqual(10 * 60_000);
    expect(waited).toBeLessThan(10 * 60_000 + 5_000);

    const projected = await harness.store.findById(reminderId);
    expect(projected).toMatchObject({ status: 'failed', attempt: 3, skipReason: CALL_TIMEOUT_REASON });
    expect(projected!.history.map((entry) => entry.status)).toEqual([
      'pending',
      'in_progress',
      'failed',
      'pending',
      'in_progress',
      'failed',
      'pending',
      'in_progress',
      'failed',
    ]);
  });

  it('fails an SMS with no delivery report after 10 minutes, with its own reason', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({
        customer: { id: 'cust-t2', name: 'Silent Carrier', phone: SCRIPTED_NUMBERS.SMS_NO_CALLBACK },
        maxAttempts: 1,
      }),
    );
    const final = await env.client.workflow.getHandle<typeof reminderWorkflow>(reminderWorkflowId(created.body.reminderId)).result();
    expect(final).toMatchObject({ status: 'failed', attempt: 1, skipReason: SMS_TIMEOUT_REASON });
  });

  it('waits for sendAt before the first attempt', async () => {
    const sendAt = new Date((await env.currentTimeMs()) + 3 * 3_600_000).toISOString();
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({
        customer: { id: 'cust-t3', name: 'Later Please', phone: SCRIPTED_NUMBERS.SMS_NO_CALLBACK },
        sendAt,
        maxAttempts: 1,
      }),
    );
    const final = await env.client.workflow.getHandle<typeof reminderWorkflow>(reminderWorkflowId(created.body.reminderId)).result();
    const dispatchedAt = Date.parse(final.history.find((entry) => entry.status === 'in_progress')!.at);
    expect(dispatchedAt).toBeGreaterThanOrEqual(Date.parse(sendAt));
  });
});
