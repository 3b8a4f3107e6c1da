import { randomUUID } from 'node:crypto';
import type { ErrorBody } from '../support/api-bodies';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';

/** GET /api/customers/:id/contacts as the tests read it. */
interface ContactsBody {
  customerId: string;
  items: { kind: string; reminderId: string; attempt: number; channel: string; reference: string; at: string; reason?: string }[];
}

describe("operators' records: a number's consent and a customer's contacts", () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  it("lists the customer's contacts, newest first, with the made contact of a sent reminder", async () => {
    const customerId = `records-${randomUUID()}`;
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: { id: customerId, name: 'Ada', phone: '+13125550191' } }),
    );
    await harness.waitForReminder(created.body.reminderId, (reminder) => reminder.status === 'completed');
    const debt = { customerId, reference: 'INV-OTHER' };
    const at = Date.now() + 60_000;
    await harness.contacts.reserve(debt, { reminderId: randomUUID(), attempt: 1, channel: 'call', at }, () => ({
      verdict: 'defer',
      until: at + 3_600_000,
      reason: 'outside contact hours',
    }));

    const { status, body } = await harness.api<ContactsBody>('GET', `/api/customers/${encodeURIComponent(customerId)}/contacts`);
    expect(status).toBe(200);
    expect(body.customerId).toBe(customerId);
    expect(body.items.map((event) => [event.kind, event.reference])).toEqual([
      ['deferred', 'INV-OTHER'],
      ['contact', 'INV-1001'],
    ]);
    expect(body.items[1]).toMatchObject({ reminderId: created.body.reminderId, attempt: 1, channel: 'sms' });
    expect(body.items[0]?.reason).toBe('outside contact hours');
    expect(
      (await harness.api<ContactsBody>('GET', `/api/customers/${encodeURIComponent(customerId)}/contacts?limit=1`)).body.items,
    ).toHaveLength(1);
  });

  it('bounds the page to 100 contacts and needs the API key', async () => {
    expect((await harness.api<ErrorBody>('GET', '/api/customers/anyone/contacts?limit=101')).status).toBe(400);
    expect((await harness.api('GET', '/api/customers/anyone/contacts', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(await harness.api<ContactsBody>('GET', '/api/customers/nobody-yet/contacts')).toEqual({
      status: 200,
      body: { customerId: 'nobody-yet', items: [] },
    });
  });

  it('shows a consent record with its history, 404 for a number without one, 400 for something else', async () => {
    const phone = '+13125550192';
    await harness.consents.optOut(phone, { source: 'api', detail: 'operator' });
    const { status, body } = await harness.api<{ phone: string; optedOut: boolean; history: { source: string }[] }>(
      'GET',
      `/api/consents/${encodeURIComponent(phone)}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ phone, optedOut: true, history: [{ source: 'api' }] });
    expect((await harness.api('GET', '/api/consents/+13125550193')).status).toBe(404);
    expect((await harness.api<ErrorBody>('GET', '/api/consents/12345')).status).toBe(400);
    expect(
      (await harness.api('GET', `/api/consents/${encodeURIComponent(phone)}`, undefined, { authorization: 'Bearer wrong' })).status,
    ).toBe(401);
  });
});
