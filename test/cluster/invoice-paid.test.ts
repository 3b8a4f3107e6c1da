import { DateTime } from 'luxon';
import { ClusterClient } from '../support/cluster-client';
import { invoiceRequest, type InvoiceView, type PaymentReceipt } from '../support/invoice-bodies';

describe('an invoice plan on the cluster', () => {
  let cluster: ClusterClient;
  beforeAll(async () => {
    cluster = await ClusterClient.connect();
  });
  afterAll(() => cluster?.close());

  it('runs its step that is due, then ends paid on a payment: the step still to come is stopped, nothing more is sent', async () => {
    const phone = '+14155550304';
    // Due two days ago: step 1 ("0d" at the step time) is overdue, so it runs at once; step 2 waits four weeks.
    const request = invoiceRequest({
      customer: { id: 'cl-invoice', name: 'Ada Lovelace', phone, timezone: 'America/New_York' },
      dueDate: DateTime.utc().minus({ days: 2 }).toISODate(),
      plan: [
        { at: '0d', channel: 'sms' },
        { at: '+30d', channel: 'sms' },
      ],
    });
    const created = await cluster.api<InvoiceView>('POST', '/api/invoices', request);
    expect(created.status).toBe(201);

    const stepDone = await cluster.waitForInvoice(request.reference, (invoice) => invoice.steps[0]!.status === 'done');
    expect(stepDone.status).toBe('open');
    expect(stepDone.steps[0]!.contacts).toMatchObject([{ channel: 'sms', status: 'completed' }]);
    expect(['scheduled', 'running']).toContain(stepDone.steps[1]!.status);
    expect(await cluster.sentTo(phone)).toHaveLength(1);

    const payment = await cluster.api<PaymentReceipt>('POST', `/api/invoices/${request.reference}/payments`, {
      id: 'cl-pay-1',
      amount: 120.5,
    });
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ recorded: true, outstanding: 0 });

    const paid = await cluster.waitForInvoice(request.reference, (invoice) => invoice.status === 'paid');
    expect(paid.outstanding).toBe(0);
    expect(paid.steps.map((step) => step.status)).toEqual(['done', 'stopped']);
    // The plan writes its projection as it ends, after the API can already tell it is paid.
    const projected = await cluster.eventually(
      () => cluster.invoices.findByReference(request.reference),
      (invoice) => invoice?.status === 'paid',
    );
    expect(projected).toMatchObject({ outstanding: 0, payments: [{ id: 'cl-pay-1', amount: 120.5 }] });
    const stepReminder = stepDone.steps[0]!.contacts[0]!.reminderId;
    expect(await cluster.projectedReminder(stepReminder)).toMatchObject({
      status: 'completed',
      workflowStatus: 'completed',
      deliveryStatus: 'delivered',
    });
    expect(await cluster.sentTo(phone)).toHaveLength(1);
  });
});
