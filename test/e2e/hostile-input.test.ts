import type { ErrorBody, ReminderList } from '../support/api-bodies';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { postTwilioStatus } from '../support/signed-requests';

/** Requests an attacker or a broken client might send to the reminders API: each gets a clear 4xx and starts nothing. */
describe('hostile input to the reminders API', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  const base = reminderRequest({ customer: { id: 'hostile', name: 'Mallory', phone: '+14155550901' } });
  const cases: [string, unknown, number][] = [
    ['an operator object as the customer id', { ...base, customer: { ...base.customer, id: { $ne: null } } }, 400],
    ['a $where clause at the top level', { ...base, $where: 'sleep(1000)' }, 400],
    ['a dotted key', { ...base, 'customer.id': 'other' }, 400],
    ['an operator as the amount', { ...base, payment: { ...base.payment, amount: { $gt: 0 } } }, 400],
    ['an unknown field inside payment', { ...base, payment: { ...base.payment, $set: { status: 'completed' } } }, 400],
    ['a non-finite amount written as a string', { ...base, payment: { ...base.payment, amount: 'Infinity' } }, 400],
    ['maxAttempts of 1000', { ...base, maxAttempts: 1000 }, 400],
    ['a sendAt that is not a timestamp', { ...base, sendAt: 'soon' }, 400],
    ['an array body', [base], 400],
    ['a JSON string body', 'reminder', 400],
  ];

  it.each(cases)('rejects %s and creates nothing', async (_case, body, expected) => {
    const response = await harness.api<ErrorBody>('POST', '/api/reminders', body);
    expect(response.status).toBe(expected);
    expect(response.body.error).toMatch(/invalid request/);
    expect((await harness.api<ReminderList>('GET', '/api/reminders?customerId=hostile')).body.items).toEqual([]);
  });

  it('rejects query-string operator injection in the list filters', async () => {
    const response = await fetch(`${harness.baseUrl}/api/reminders?customerId[$ne]=x`, {
      headers: { authorization: 'Bearer test-api-key' },
    });
    expect(response.status).toBe(400);
  });

  it('rejects a malformed form body to the Twilio webhook (its signature cannot match)', async () => {
    const response = await postTwilioStatus(harness.baseUrl, '/api/webhooks/twilio/status', {}, { signature: 'AAAA' });
    expect(response.status).toBe(401);
  });

  it('rejects a wrong content type for a reminder with 415', async () => {
    const response = await fetch(`${harness.baseUrl}/api/reminders`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-api-key', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=sms',
    });
    expect(response.status).toBe(415);
  });
});
