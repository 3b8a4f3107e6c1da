import { reminderWorkflowId } from '../../src/workflows/definitions';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { postCallEvent } from '../support/signed-requests';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

const callReminder = (phone: string, extra: Record<string, unknown> = {}) =>
  reminderRequest({ channel: 'call', customer: { id: `cust-${phone.slice(-4)}`, name: 'Grace Hopper', phone }, ...extra });

describe('voice reminders end to end (real LiveKit, the real Python agent; its callee and model stood in)', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start({ simulatedAgent: true, timings: { retryBackoff: '1 second' } });
  });
  afterAll(() => harness?.stop());

  it('is processing when answered and completed with the outcome when the call ends', async () => {
    const created = await harness.api('POST', '/api/reminders', callReminder('+14155550201'));
    expect(created.status).toBe(201);
    const done = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    expect(done.externalId).toBe(`reminder-${created.body.reminderId}-attempt-1`);
    expect(done.callOutcome).toEqual({
      connected: true,
      duration: expect.any(Number) as number,
      customer_response: 'will_pay_today',
      notes: 'scripted: will_pay_today',
    });
    // Measured by the agent from the answer to the end of its call, which takes seconds here.
    expect(done.callOutcome?.duration).toBeGreaterThanOrEqual(0);
    expect(done.callOutcome?.duration).toBeLessThan(60);
    expect(done.history.map((entry: { status: string }) => entry.status)).toEqual(['pending', 'in_progress', 'processing', 'completed']);
  });

  it('records a connected call as a conversation about the debt, for the quiet period after it', async () => {
    const request = callReminder('+14155550211', {
      payment: { amount: 10, currency: 'USD', dueDate: '2026-12-01', reference: 'INV-TALKED' },
    });
    const created = await harness.api('POST', '/api/reminders', request);
    await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    const debt = { customerId: request.customer.id, reference: 'INV-TALKED' };
    const deadline = Date.now() + 10_000; // the webhook records it right after it signals the workflow
    while (!(await harness.contacts.contactsFor(debt)).some((contact) => contact.conversation) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await harness.contacts.contactsFor(debt)).toEqual([
      expect.objectContaining({ reminderId: created.body.reminderId, attempt: 1, channel: 'call', conversation: true }),
    ]);
  });

  it('goes back to pending and retries when the outcome calls for it, then completes', async () => {
    const created = await harness.api('POST', '/api/reminders', callReminder(SCRIPTED_NUMBERS.CALL_RETRIED_THEN_COMPLETED));
    const done = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    expect(done.attempt).toBe(2);
    expect(done.externalId).toBe(`reminder-${created.body.reminderId}-attempt-2`);
    expect(done.history.map((entry: { status: string; attempt: number }) => `${entry.status}@${entry.attempt}`)).toEqual([
      'pending@0',
      'in_progress@1',
      'processing@1',
      'failed@1',
      'pending@1',
      'in_progress@2',
      'processing@2',
      'completed@2',
    ]);
    expect(done.history[3]?.reason).toBe('Call outcome requires a retry: voicemail');
  });

  it('fails when the agent reports call_failed and no attempt is left', async () => {
    const created = await harness.api('POST', '/api/reminders', callReminder(SCRIPTED_NUMBERS.CALL_FAILED, { maxAttempts: 1 }));
    const failed = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'failed');
    expect(failed.skipReason).toBe('Call failed: Timeout waiting for participant to join');
    expect(failed.callOutcome).toMatchObject({ connected: false, customer_response: 'no_answer' });
  });

  it('retries a busy line, with the SIP answer as the outcome', async () => {
    const created = await harness.api('POST', '/api/reminders', callReminder(SCRIPTED_NUMBERS.CALL_BUSY, { maxAttempts: 2 }));
    const failed = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'failed' && r.attempt === 2, 60_000);
    expect(failed.callOutcome).toMatchObject({ connected: false, duration: 0, customer_response: 'busy', notes: 'SIP 486 Busy Here' });
    expect(failed.history.filter((entry: { status: string }) => entry.status === 'failed')).toHaveLength(2);
  });

  it('retries a call the customer hung up before an outcome was recorded', async () => {
    const created = await harness.api('POST', '/api/reminders', callReminder(SCRIPTED_NUMBERS.CALL_HANGS_UP_EARLY, { maxAttempts: 1 }));
    const failed = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'failed');
    expect(failed.callOutcome).toMatchObject({
      connected: true,
      customer_response: 'line_dropped',
      notes: 'Customer hung up before an outcome was recorded',
    });
    expect(failed.history.map((entry: { status: string }) => entry.status)).toEqual(['pending', 'in_progress', 'processing', 'failed']);
  });

  it('records an opt-out the customer asks for on the call, and completes the call', async () => {
    const created = await harness.api('POST', '/api/reminders', callReminder(SCRIPTED_NUMBERS.CALL_OPTS_OUT));
    const done = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    expect(done.callOutcome).toMatchObject({ connected: true, customer_response: 'opted_out' });
    expect(await harness.consents.find(SCRIPTED_NUMBERS.CALL_OPTS_OUT)).toMatchObject({
      optedOut: true,
      history: [
        { optedOut: true, source: 'voice-agent', detail: `reminder ${created.body.reminderId} attempt 1: Please stop calling me.` },
      ],
    });
  });

  it('ignores a duplicate or late event once the reminder has ended', async () => {
    const created = await harness.api('POST', '/api/reminders', callReminder('+14155550202'));
    const reminderId = created.body.reminderId;
    const done = await harness.waitForReminder(reminderId, (r) => r.status === 'completed');
    // The workflow closes a moment after the projection says completed; a webhook in that
    // moment is signalled and ignored by the workflow, one after it is answered `ignored`.
    await harness.client.workflow.getHandle(reminderWorkflowId(reminderId)).result();
    const late = await postCallEvent(harness.baseUrl, {
      reminder_id: reminderId,
      event_type: 'call_failed',
      outcome: { connected: false, duration: 0, customer_response: 'no_answer' },
    });
    expect(late).toEqual({ status: 200, body: { received: true, outcome: 'ignored', reason: 'reminder already completed' } });
    const after = await harness.api('GET', `/api/reminders/${reminderId}`);
    expect(after.body).toMatchObject({ status: 'completed', history: done.history, callOutcome: done.callOutcome });
  });

  it('ignores an event for an earlier attempt', async () => {
    const phone = SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT; // the agent never reports: we play the agent by hand
    const created = await harness.api('POST', '/api/reminders', callReminder(phone));
    const reminderId = created.body.reminderId;
    await harness.waitForReminder(reminderId, (r) => r.status === 'in_progress');
    const stale = await postCallEvent(harness.baseUrl, { reminder_id: reminderId, event_type: 'call_answered', attempt: 7 });
    expect(stale.status).toBe(200);
    const answered = await postCallEvent(harness.baseUrl, { reminder_id: reminderId, event_type: 'call_answered', attempt: 1 });
    expect(answered.status).toBe(200);
    const processing = await harness.waitForReminder(reminderId, (r) => r.status === 'processing');
    expect(processing.history.filter((entry: { status: string }) => entry.status === 'processing')).toHaveLength(1);
    await harness.api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'test over' });
  });
});
