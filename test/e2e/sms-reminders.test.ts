import { ReminderHarness, reminderRequest } from '../support/reminder-harness';

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
    const reminderId = created.body.reminderId as string;
    expect(created.body.workflowId).toBe(`reminder-${reminderId}`);

    const done = await harness.waitForReminder(reminderId, (r) => r.status === 'completed');
    const [message] = harness.twilio.messages.filter((m) => m.to === '+14155550123' && m.statusCallback?.includes(reminderId));
    expect(message).toBeDefined();
    expect(done).toMatchObject({ externalId: message!.sid, deliveryStatus: 'delivered', attempt: 1 });
    expect(message!.body).toContain('120.50 USD');
    expect(done.history.map((entry: { status: string }) => entry.status)).toEqual(['pending', 'in_progress', 'completed']);
  });

  it('fails with the ErrorCode when Twilio reports failed with a permanent error', async () => {
    const created = await harness.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'c2', name: 'Bo', phone: '+15005550002' } }));
    const failed = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'failed');
    expect(failed).toMatchObject({ deliveryStatus: 'failed', errorCode: '30005', permanentFailure: true, attempt: 1 });
    expect(failed.skipReason).toBe('SMS failed (Twilio error 30005)');
  });

  it('fails at once, without sending, when the recipient has opted out (21610)', async () => {
    const created = await harness.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'c3', name: 'Cy', phone: '+15005550009' } }));
    const failed = await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'failed');
    expect(failed.errorCode).toBe('21610');
    expect(failed.skipReason).toMatch(/opted out/);
    expect(harness.twilio.messages.some((m) => m.to === '+15005550009')).toBe(false);
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
