import type { ErrorBody } from '../../support/api-bodies';
import { invoiceRequest, newReference, type InvoiceView } from '../../support/invoice-bodies';
import { ReminderHarness } from '../../support/reminder-harness';

/** Pause, resume and cancel are workflow updates: a rejection is 409 with its words, an unknown invoice 404. */
describe('operator routes on an invoice plan', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  const newInvoice = async () => {
    const body = invoiceRequest();
    expect((await harness.api('POST', '/api/invoices', body)).status).toBe(201);
    return body.reference;
  };

  it('pauses with a reason until a date, resumes, and cancels; then every action is 409', async () => {
    const reference = await newInvoice();
    const paused = await harness.api<InvoiceView>('POST', `/api/invoices/${reference}/pause`, {
      reason: 'customer on holiday',
      until: '2030-03-20T09:00:00+01:00',
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      status: 'paused',
      pause: { by: 'operator', reason: 'customer on holiday', until: '2030-03-20T08:00:00.000Z' },
    });
    const resumed = await harness.api<InvoiceView>('POST', `/api/invoices/${reference}/resume`);
    expect(resumed).toMatchObject({ status: 200, body: { status: 'open' } });
    const resumedAgain = await harness.api<ErrorBody>('POST', `/api/invoices/${reference}/resume`);
    expect(resumedAgain.status).toBe(409);
    expect(resumedAgain.body.error).toMatch(new RegExp(`^invoice ${reference} cannot be resumed: .+`));
    const cancelled = await harness.api<InvoiceView>('POST', `/api/invoices/${reference}/cancel`, { reason: 'written off' });
    expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled', cancelReason: 'written off' } });
    await harness.client.workflow.getHandle(`invoice-${reference}`).result();
    for (const [action, body] of [
      ['pause', { reason: 'r' }],
      ['resume', undefined],
      ['cancel', undefined],
    ] as const) {
      const response = await harness.api<ErrorBody>('POST', `/api/invoices/${reference}/${action}`, body);
      expect(response.status).toBe(409);
    }
  });

  it('cancels without a body', async () => {
    const reference = await newInvoice();
    expect((await harness.api<InvoiceView>('POST', `/api/invoices/${reference}/cancel`)).body.status).toBe('cancelled');
  });

  it('answers 404 for an unknown invoice and 400 for a pause without a reason or with a malformed date', async () => {
    for (const action of ['pause', 'resume', 'cancel']) {
      const response = await harness.api(
        'POST',
        `/api/invoices/${newReference()}/${action}`,
        action === 'pause' ? { reason: 'r' } : undefined,
      );
      expect(response.status).toBe(404);
    }
    const reference = await newInvoice();
    const bad = await harness.api<ErrorBody>('POST', `/api/invoices/${reference}/pause`, { until: 'next week' });
    expect((bad.body.issues ?? []).map((issue) => issue.field).sort()).toEqual(['reason', 'until']);
    await harness.api('POST', `/api/invoices/${reference}/cancel`);
  });
});
