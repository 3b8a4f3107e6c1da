import type { ErrorBody } from '../../support/api-bodies';
import { invoiceRequest, type InvoiceList } from '../../support/invoice-bodies';
import { ReminderHarness } from '../../support/reminder-harness';

/** Bad input is a 400 naming each field, never a 500, and starts nothing. */
describe('POST /api/invoices with invalid input', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start({ invoicePlans: { planBounds: { maxSteps: 3, maxSpanHours: 30 * 24 } } });
  });
  afterAll(() => harness?.stop());

  const fieldsOf = async (body: unknown) => {
    const response = await harness.api<ErrorBody>('POST', '/api/invoices', body);
    expect(response.status).toBe(400);
    return (response.body.issues ?? []).map((issue) => `${issue.field}: ${issue.message}`);
  };

  it('names each malformed field of the invoice', async () => {
    const fields = await fieldsOf({
      reference: 'has space',
      customer: { id: 'c', name: 'X', phone: '555-1234' },
      amount: 10.005,
      currency: 'usd',
      dueDate: '2030-02-30',
      extra: 1,
    });
    expect(fields.map((field) => field.split(':')[0]).sort()).toEqual([
      '(body)',
      'amount',
      'currency',
      'customer.phone',
      'dueDate',
      'reference',
    ]);
    expect((await fieldsOf({ ...invoiceRequest(), amount: 0 })).map((field) => field.split(':')[0])).toEqual(['amount']);
  });

  it('names each problem of a plan: offsets, order, channels, placeholders, and the configured bounds', async () => {
    expect(
      await fieldsOf(
        invoiceRequest({
          plan: [
            { at: 'soon', channel: 'sms' },
            { at: '+1d', channel: 'fax' },
            { at: '+2d', channel: 'call', fallback: 'call', template: 'Pay {total}' },
          ],
        }),
      ),
    ).toEqual([
      'plan.0.at: must be an offset from the due date such as -3d, 0d, +7d or +12h',
      expect.stringMatching(/^plan\.1\.channel: /),
      expect.stringMatching(/^plan\.2\.template: unknown placeholder \{total\}; a template may use \{name\}/),
      'plan.2.fallback: must be another channel than the step’s own',
    ]);
    expect(
      await fieldsOf(
        invoiceRequest({
          plan: [
            { at: '+3d', channel: 'sms' },
            { at: '-3d', channel: 'call' },
          ],
        }),
      ),
    ).toEqual(['plan.1.at: must come after step 1 (+3d)']);
    expect(await fieldsOf(invoiceRequest({ plan: ['0d', '1d', '2d', '3d'].map((at) => ({ at, channel: 'sms' })) }))).toEqual([
      'plan: a plan has at most 3 steps',
    ]);
    expect(
      await fieldsOf(
        invoiceRequest({
          plan: [
            { at: '-1d', channel: 'sms' },
            { at: '+30d', channel: 'sms' },
          ],
        }),
      ),
    ).toEqual(['plan: the plan spans 31 days around the due date; at most 30 days']);
    expect(await fieldsOf(invoiceRequest({ plan: [] }))).toEqual(['plan: a plan needs at least one step']);
  });

  it('refuses a number with no known zone and a body that is not JSON, and started nothing', async () => {
    expect(await fieldsOf(invoiceRequest({ customer: { id: 'c-zone', name: 'Z', phone: '+15555550100' } }))).toEqual([
      expect.stringMatching(/^customer\.phone: /),
    ]);
    const notJson = await fetch(`${harness.baseUrl}/api/invoices`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-api-key', 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect((await harness.api<InvoiceList>('GET', '/api/invoices?customerId=c-zone')).body.items).toEqual([]);
  });
});
