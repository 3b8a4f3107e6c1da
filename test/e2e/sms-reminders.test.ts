import { reminderQuery } from '../../src/workflows/definitions';
import type { ReminderList } from '../support/api-bodies';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { OPTED_OUT_REASON } from '../../src/policy/types';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

describe('SMS reminders end to end (Koa → Temporal → FerretDB, Twilio stand-in at the edge)', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  it('is completed when Twilio reports delivered', async () => {
    const created = await harness.api('POST', '/api/reminders', reminderRequest());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', channel: 'sms', attempt: 0, maxAttempts: 3 });
    const reminderId = created.body.reminderId;
    expect(created.body.workflowId).toBe(`reminder-${reminderId}`);

    const done = await harness.waitForReminder(reminderId, (r) => r.status === 'completed');
    const [message] = harness.twilio.messages.filter((m) => m.to === '+14155550123' && m.statusCallback?.includes(reminderId));
    expect(message).toBeDefined();
    expect(done).toMatchObject({ externalId: message!.sid, deliveryStatus: 'delivered', attempt: 1 });
    expect(message!.body).toContain('120.50 USD');
    expect(done.history.map((entry: { status: string }) => entry.status)).toEqual(['pending', 'in_progress', 'completed']);
  });

  it('is projected by the API at once, then by the send activity, then once by the workflow at the end', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: { id: 'c1b', name: 'Al', phone: '+14155550124' } }),
    );
    const reminderId = created.body.reminderId;
    const listed = (await harness.api<ReminderList>('GET', '/api/reminders?customerId=c1b')).body.items;
    expect(listed.map((item) => item.reminderId)).toEqual([reminderId]);
    const done = await harness.waitForReminder(reminderId, (r) => r.status === 'completed');
    const history = await harness.client.workflow.getHandle(`reminder-${reminderId}`).fetchHistory();
    const scheduled = history.events!.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual(['sendSms', 'saveProjection']);
    const signals = history.events!.filter((event) => event.workflowExecutionSignaledEventAttributes).length;
    expect(signals).toBe(1); // 'sent' was acknowledged by the webhook, only 'delivered' signalled
    const state = await harness.client.workflow.getHandle(`reminder-${reminderId}`).query(reminderQuery);
    expect(await harness.store.findById(reminderId)).toMatchObject({ status: 'completed', version: state.version });
    expect(done.history.map((entry: { status: string }) => entry.status)).toEqual(['pending', 'in_progress', 'completed']);
  });

  it('stays cancelled when an operator cancels while the send is still under way', async () => {
    const phone = '+14155550126';
    harness.twilio.setScript(phone, { callbacks: [], holdResponseMs: 1_500 });
    const created = await harness.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'c1c', name: 'Cy', phone } }));
    const reminderId = created.body.reminderId;
    while (!harness.twilio.messages.some((m) => m.to === phone)) await new Promise((resolve) => setTimeout(resolve, 50));
    const cancelled = await harness.api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'paid meanwhile' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    const handle = harness.client.workflow.getHandle(`reminder-${reminderId}`);
    await handle.result();
    const state = await handle.query(reminderQuery);
    expect(state.status).toBe('cancelled');
    // The send activity recorded in_progress at the version the dispatch would have had; the
    // workflow's own write must land above it, so the projection ends where the workflow did.
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the held send returns and records
    expect(await harness.store.findById(reminderId)).toMatchObject({
      status: 'cancelled',
      skipReason: 'paid meanwhile',
      version: state.version,
    });
  });

  it('fails with the ErrorCode when Twilio reports failed with a permanent error', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: { id: 'c2', name: 'Bo', phone: SCRIPTED_NUMBERS.SMS_FAILED_PERMANENT } }),
    );
    const failed = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'failed');
    expect(failed).toMatchObject({ deliveryStatus: 'failed', errorCode: '30005', permanentFailure: true, attempt: 1 });
    expect(failed.skipReason).toBe('SMS failed (Twilio error 30005)');
  });

  it('ends cancelled, without sending, when Twilio says the recipient opted out (21610), and records the opt-out', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: { id: 'c3', name: 'Cy', phone: SCRIPTED_NUMBERS.SMS_OPTED_OUT } }),
    );
    const ended = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'cancelled');
    expect(ended.skipReason).toBe(OPTED_OUT_REASON);
    expect(await harness.consents.get(SCRIPTED_NUMBERS.SMS_OPTED_OUT)).toMatchObject({ optedOut: true });
    expect(harness.twilio.messages.some((m) => m.to === SCRIPTED_NUMBERS.SMS_OPTED_OUT)).toBe(false);
  });

  it('ends completed whatever the order and repetition of the callbacks', async () => {
    const phone = '+14155550777';
    harness.twilio.setScript(phone, {
      callbacks: [{ status: 'delivered' }, { status: 'sent' }, { status: 'queued' }, { status: 'delivered' }],
      repeat: 2,
    });
    const created = await harness.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'c4', name: 'Di', phone } }));
    const done = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    await new Promise((resolve) => setTimeout(resolve, 800)); // let the late duplicates arrive
    const after = await harness.api('GET', `/api/reminders/${created.body.reminderId}`);
    expect(after.body).toMatchObject({ status: 'completed', deliveryStatus: 'delivered' });
    expect(after.body.history).toEqual(done.history);
  });

  it('applies callbacks that arrive before the send activity returned', async () => {
    const phone = '+14155550888';
    harness.twilio.setScript(phone, { callbacks: [{ status: 'sent' }, { status: 'delivered' }], beforeResponse: true });
    const created = await harness.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'c5', name: 'Ed', phone } }));
    const done = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    expect(done.deliveryStatus).toBe('delivered');
  });

  it('retries a transient Twilio fault by activity retry policy and sends once', async () => {
    const phone = '+14155550999';
    harness.twilio.failNextCreates(2);
    const created = await harness.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'c6', name: 'Flo', phone } }));
    await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    expect(harness.twilio.messages.filter((m) => m.to === phone)).toHaveLength(1);
  });
});
