import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { MongoClient } from 'mongodb';
import { createContactCheck } from '../../src/activities/contact-check';
import { INVOICE_PAID_REASON } from '../../src/domain/invoice';
import { ConsentStore } from '../../src/store/consents';
import { ContactLedger } from '../../src/store/contact-ledger';
import { InvoiceStore } from '../../src/store/invoices';
import { invoiceProjection } from '../support/projection-fixture';
import { testStack } from '../support/stack';

const NOON_IN_NEW_YORK = Date.parse('2030-01-15T17:00:00Z');
const paidAt = '2030-01-14T09:00:00.000Z';

/** The check reads what a plan step's invoice still owes right before the send, on the real store. */
describe('the contact check for a step of an invoice plan', () => {
  let mongo: MongoClient;
  let invoices: InvoiceStore;
  let contacts: ContactLedger;
  let check: ReturnType<typeof createContactCheck>;

  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('contact_check_invoice'), { retryWrites: false });
    invoices = new InvoiceStore(mongo.db());
    contacts = new ContactLedger(mongo.db());
    check = createContactCheck({ consents: new ConsentStore(mongo.db()), contacts, invoices, contactProfile: 'development' });
  });
  afterAll(() => mongo?.close());

  const ask = (reference: string, customerId: string, invoice?: { reference: string }) =>
    new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: NOON_IN_NEW_YORK }).run(
      check,
      { contact: { customer: { id: customerId, name: 'Ada', phone: '+12125550123' }, reference, ...(invoice && { invoice }) } },
      { reminderId: randomUUID(), attempt: 1, channel: 'call' as const },
    );

  it('allows the contact while something is owed, and says how much (what the agent is told)', async () => {
    const reference = `INV-${randomUUID()}`;
    await invoices.create(invoiceProjection(reference, { amount: 120, currency: 'EUR' }));
    await invoices.recordPayment(reference, { id: 'part', amount: 20.5, paidAt }, 'api');
    expect(await ask(reference, 'c1', { reference })).toEqual({ owed: { amount: 120, currency: 'EUR', outstanding: 99.5 } });
  });

  it('refuses it once payments cover the invoice, records the refusal, and counts no contact', async () => {
    const reference = `INV-${randomUUID()}`;
    const customerId = randomUUID();
    await invoices.create(invoiceProjection(reference, { amount: 100 }));
    await invoices.recordPayment(reference, { id: 'all', amount: 100, paidAt }, 'webhook');
    expect(await ask(reference, customerId, { reference })).toEqual({ refused: { verdict: 'refuse', reason: INVOICE_PAID_REASON } });
    expect(await contacts.contactsFor({ customerId, reference })).toEqual([]);
    expect(await contacts.forCustomer(customerId)).toEqual([expect.objectContaining({ kind: 'refused', reason: INVOICE_PAID_REASON })]);
  });

  it('does not ask about an invoice for a single reminder, even one whose reference an invoice has', async () => {
    const reference = `INV-${randomUUID()}`;
    await invoices.create(invoiceProjection(reference, { amount: 10 }));
    await invoices.recordPayment(reference, { id: 'all', amount: 10, paidAt }, 'api');
    expect(await ask(reference, 'c3')).toEqual({});
  });
});
