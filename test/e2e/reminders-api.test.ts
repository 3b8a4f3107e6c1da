import { randomUUID } from 'node:crypto';
import type { ErrorBody, ReminderList } from '../support/api-bodies';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';

describe('the reminders API', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  it('requires a bearer API key', async () => {
    const missing = await fetch(`${harness.baseUrl}/api/reminders`);
    expect(missing.status).toBe(401);
    const wrong = await harness.api<ErrorBody>('GET', '/api/reminders', undefined, { authorization: 'Bearer nope' });
    expect(wrong).toEqual({ status: 401, body: { error: 'invalid API key' } });
  });

  it('rejects an invalid reminder with 400 naming each field, and starts nothing', async () => {
    const response = await harness.api<ErrorBody>('POST', '/api/reminders', {
      channel: 'fax',
      customer: { id: 'c', name: 'X', phone: '555-1234' },
      payment: { amount: -3, currency: 'usd', dueDate: 'tomorrow', reference: 'R' },
    });
    expect(response.status).toBe(400);
    const fields = (response.body.issues ?? []).map((issue) => issue.field).sort();
    expect(fields).toEqual(['channel', 'customer.phone', 'payment.amount', 'payment.currency', 'payment.dueDate']);
    expect((await harness.api<ReminderList>('GET', '/api/reminders?customerId=c')).body.items).toEqual([]);
  });

  it('gives the same reminder for the same Idempotency-Key: one workflow, one send', async () => {
    const key = `order-${randomUUID()}`;
    const phone = '+14155550301';
    const body = reminderRequest({ customer: { id: 'idem', name: 'Ida', phone } });
    const first = await harness.api('POST', '/api/reminders', body, { 'idempotency-key': key });
    const second = await harness.api('POST', '/api/reminders', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.reminderId).toBe(first.body.reminderId);
    await harness.waitForReminder(first.body.reminderId, (r) => r.status === 'completed');
    expect(harness.twilio.messages.filter((m) => m.to === phone)).toHaveLength(1);

    const changed = await harness.api('POST', '/api/reminders', { ...body, message: 'different' }, { 'idempotency-key': key });
    expect(changed.status).toBe(409);
  });

  it('gives the same reminder for the same client-given id', async () => {
    const id = randomUUID();
    const body = reminderRequest({ id, customer: { id: 'given', name: 'Gus', phone: '+14155550302' } });
    const first = await harness.api('POST', '/api/reminders', body);
    const again = await harness.api('POST', '/api/reminders', body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(first.body.reminderId).toBe(id);
    expect(first.body).not.toHaveProperty('timings');
    expect(first.body).not.toHaveProperty('requestFingerprint');
  });

  it('reads one reminder, 404 for an unknown id and 400 for a malformed one', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: { id: 'read', name: 'Rae', phone: '+14155550303' } }),
    );
    const read = await harness.api('GET', `/api/reminders/${created.body.reminderId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ reminderId: created.body.reminderId, customer: { id: 'read' }, payment: { reference: 'INV-1001' } });
    expect(read.body).not.toHaveProperty('requestFingerprint');
    expect((await harness.api('GET', `/api/reminders/${randomUUID()}`)).status).toBe(404);
    expect((await harness.api('GET', '/api/reminders/not-a-uuid')).status).toBe(400);
  });

  it('lists by status, channel and customer, newest first, in pages', async () => {
    const customerId = `list-${randomUUID()}`;
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const created = await harness.api(
        'POST',
        '/api/reminders',
        reminderRequest({ customer: { id: customerId, name: 'Li', phone: `+1415555040${index}` } }),
      );
      ids.push(created.body.reminderId);
      await harness.waitForReminder(created.body.reminderId, (r) => r.status === 'completed');
    }
    const firstPage = await harness.api<ReminderList>(
      'GET',
      `/api/reminders?customerId=${customerId}&status=completed&channel=sms&limit=2`,
    );
    expect(firstPage.body.items.map((r) => r.reminderId)).toEqual([ids[2], ids[1]]);
    const secondPage = await harness.api<ReminderList>(
      'GET',
      `/api/reminders?customerId=${customerId}&limit=2&cursor=${firstPage.body.nextCursor}`,
    );
    expect(secondPage.body.items.map((r) => r.reminderId)).toEqual([ids[0]]);
    expect(secondPage.body.nextCursor).toBeUndefined();
    expect((await harness.api<ReminderList>('GET', `/api/reminders?customerId=${customerId}&status=failed`)).body.items).toEqual([]);
    expect((await harness.api('GET', '/api/reminders?status=bogus')).status).toBe(400);
    expect((await harness.api('GET', '/api/reminders?cursor=garbage')).status).toBe(400);
  });

  it('cancels a pending reminder, and refuses to cancel it twice', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ sendAt, customer: { id: 'cancel', name: 'Cal', phone: '+14155550305' } }),
    );
    const reminderId = created.body.reminderId;
    await harness.waitForReminder(reminderId, (r) => r.status === 'pending' && r.nextAttemptAt === sendAt);
    const cancelled = await harness.api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'customer paid' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', skipReason: 'customer paid' });
    const projected = await harness.waitForReminder(reminderId, (r) => r.status === 'cancelled');
    expect(projected.nextAttemptAt).toBeUndefined();
    const again = await harness.api('POST', `/api/reminders/${reminderId}/cancel`);
    expect(again.status).toBe(409);
    expect(harness.twilio.messages.some((m) => m.to === '+14155550305')).toBe(false);
    expect((await harness.api('POST', `/api/reminders/${randomUUID()}/cancel`)).status).toBe(404);
  });
});
