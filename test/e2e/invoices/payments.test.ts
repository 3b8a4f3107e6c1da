import { signStandardWebhook } from '../../../src/webhooks/standard-webhooks';
import type { ErrorBody } from '../../support/api-bodies';
import { invoiceRequest, newReference, type InvoiceView, type PaymentReceipt } from '../../support/invoice-bodies';
import { ReminderHarness, TEST_SECRETS } from '../../support/reminder-harness';

describe('recording payments', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  const newInvoice = async (amount = 100) => {
    const body = invoiceRequest({ amount });
    expect((await harness.api('POST', '/api/invoices', body)).status).toBe(201);
    return body.reference;
  };
  const pay = (reference: string, body: unknown, headers?: Record<string, string>) =>
    harness.api<PaymentReceipt>('POST', `/api/invoices/${reference}/payments`, body, headers);
  const waitForInvoice = async (reference: string, predicate: (invoice: InvoiceView) => boolean) => {
    for (let tries = 0; tries < 100; tries++) {
      const { body } = await harness.api<InvoiceView>('GET', `/api/invoices/${reference}`);
      if (predicate(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`invoice ${reference} did not reach the expected state`);
  };

  it('records a payment once per id, 409 for the same id with another amount, and the plan hears of it', async () => {
    const reference = await newInvoice(100);
    const first = await pay(reference, { id: 'pay-1', amount: 40, paidAt: '2030-03-01T09:00:00Z' });
    expect(first).toEqual({
      status: 201,
      body: { reference, recorded: true, outstanding: 60, payment: { id: 'pay-1', amount: 40, paidAt: '2030-03-01T09:00:00.000Z' } },
    });
    const again = await pay(reference, { id: 'pay-1', amount: 40 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ recorded: false, outstanding: 60, payment: { paidAt: '2030-03-01T09:00:00.000Z' } });
    const conflict = await pay(reference, { id: 'pay-1', amount: 41 });
    expect(conflict.status).toBe(409);
    expect(await harness.invoices.paymentsFor(reference)).toHaveLength(1);
    const read = await waitForInvoice(reference, (invoice) => invoice.outstanding === 60);
    expect(read.payments).toEqual([{ id: 'pay-1', amount: 40, paidAt: '2030-03-01T09:00:00.000Z' }]);
    expect(read.status).toBe('open'); // a partial payment: the plan goes on
  });

  it('gives a payment without an id one of its own, or the Idempotency-Key’s', async () => {
    const reference = await newInvoice(100);
    const a = await pay(reference, { amount: 10 });
    const b = await pay(reference, { amount: 10 });
    expect(a.body.payment.id).not.toBe(b.body.payment.id);
    const keyed = await pay(reference, { amount: 5 }, { 'idempotency-key': `key-${reference}` });
    const keyedAgain = await pay(reference, { amount: 5 }, { 'idempotency-key': `key-${reference}` });
    expect([keyed.status, keyedAgain.status]).toEqual([201, 200]);
    expect(keyedAgain.body.payment.id).toBe(keyed.body.payment.id);
    expect(keyedAgain.body.outstanding).toBe(75);
  });

  it('ends the plan paid when payments cover the invoice', async () => {
    const reference = await newInvoice(100);
    await pay(reference, { id: 'a', amount: 33.33 });
    expect((await pay(reference, { id: 'b', amount: 66.67 })).body.outstanding).toBe(0);
    const paid = await waitForInvoice(reference, (invoice) => invoice.status === 'paid');
    expect(paid.outstanding).toBe(0);
  });

  it('records a payment on a plan that has ended, and the stored invoice shows it paid', async () => {
    const reference = await newInvoice(50);
    expect((await harness.api('POST', `/api/invoices/${reference}/cancel`, { reason: 'disputed' })).status).toBe(200);
    await waitForInvoice(reference, (invoice) => invoice.status === 'cancelled');
    const handle = harness.client.workflow.getHandle(`invoice-${reference}`);
    await handle.result().catch(() => undefined);
    const late = await pay(reference, { id: 'late', amount: 50 });
    expect(late.body).toMatchObject({ recorded: true, outstanding: 0 });
    expect(await harness.invoices.findByReference(reference)).toMatchObject({ status: 'paid', outstanding: 0, payments: [{ id: 'late' }] });
  });

  it('refuses bad payments with 400 naming the field, and an unknown invoice with 404', async () => {
    const reference = await newInvoice();
    const bad = await harness.api<ErrorBody>('POST', `/api/invoices/${reference}/payments`, { amount: -1, paidAt: 'yesterday', id: '' });
    expect((bad.body.issues ?? []).map((issue) => issue.field).sort()).toEqual(['amount', 'id', 'paidAt']);
    expect((await pay(reference, { amount: 1.234 })).status).toBe(400);
    expect((await pay(newReference(), { amount: 1 })).status).toBe(404);
  });

  describe('through the signed payment webhook', () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${harness.baseUrl}/api/webhooks/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
    const signed = (id: string, body: string, secret = TEST_SECRETS.paymentWebhookSecret) => {
      const at = new Date();
      return {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signStandardWebhook({ id, timestamp: at, body, secret }),
      };
    };
    const event = (reference: string, paymentId: string, amount: number) =>
      JSON.stringify({
        type: 'payment.succeeded',
        data: { invoiceReference: reference, paymentId, amount, paidAt: '2030-03-02T12:00:00Z' },
      });

    it('records the payment once per webhook-id and once per payment id', async () => {
      const reference = await newInvoice(100);
      const body = event(reference, 'pi_1', 25);
      const first = await post(body, signed(`msg_${reference}`, body));
      expect(first).toMatchObject({ status: 200, body: { received: true, outcome: 'recorded', outstanding: 75 } });
      expect(await post(body, signed(`msg_${reference}`, body))).toEqual({
        status: 200,
        body: { received: true, outcome: 'ignored', reason: 'duplicate webhook-id' },
      });
      // The provider sends the same payment as a new event: still one payment.
      expect(await post(body, signed(`msg_${reference}_b`, body))).toMatchObject({
        status: 200,
        body: { outcome: 'duplicate', outstanding: 75 },
      });
      expect(await harness.invoices.paymentsFor(reference)).toEqual([{ id: 'pi_1', amount: 25, paidAt: '2030-03-02T12:00:00.000Z' }]);
    });

    it('answers 401 to a bad signature and changes nothing', async () => {
      const reference = await newInvoice(100);
      const body = event(reference, 'pi_forged', 100);
      expect((await post(body, signed(`msg_forged_${reference}`, body, 'whsec_b3RoZXItc2VjcmV0LW5vdC1jb25maWd1cmVk'))).status).toBe(401);
      expect((await post(body, { ...signed(`msg_tampered_${reference}`, body), 'webhook-id': 'msg_other' })).status).toBe(401);
      expect((await post(body, {})).status).toBe(401);
      expect(await harness.invoices.paymentsFor(reference)).toEqual([]);
      // The refused ids were not remembered: a correctly signed delivery with one is taken.
      expect((await post(body, signed(`msg_forged_${reference}`, body))).body).toMatchObject({ outcome: 'recorded' });
    });

    it('ignores other event types, and refuses a malformed payment with 400 and an unknown invoice with 404', async () => {
      const other = JSON.stringify({ type: 'payment.refunded', data: {} });
      expect((await post(other, signed(`msg_refund_${newReference()}`, other))).body).toEqual({
        received: true,
        outcome: 'ignored',
        reason: 'event type payment.refunded is not handled',
      });
      const malformed = JSON.stringify({ type: 'payment.succeeded', data: { invoiceReference: 'INV-1', amount: 'ten' } });
      expect((await post(malformed, signed(`msg_bad_${newReference()}`, malformed))).status).toBe(400);
      const unknown = event(newReference(), 'pi_x', 1);
      const id = `msg_unknown_${newReference()}`;
      expect((await post(unknown, signed(id, unknown))).status).toBe(404);
      expect((await post(unknown, signed(id, unknown))).status).toBe(404); // not taken, so not a duplicate either
    });
  });
});
