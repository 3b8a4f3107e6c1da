import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { InvoiceStore } from '../../src/store/invoices';
import { ReminderStore } from '../../src/store/reminder-store';
import { invoiceProjection, reminderProjection } from '../support/projection-fixture';
import { testStack } from '../support/stack';

describe('the invoices and their payments in MongoDB (FerretDB)', () => {
  let mongo: MongoClient;
  let store: InvoiceStore;
  const reference = () => `INV-${randomUUID().slice(0, 8)}`;
  const paidAt = '2026-12-02T09:00:00.000Z';
  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('invoices'), { retryWrites: false });
    store = new InvoiceStore(mongo.db());
    await store.ensureIndexes();
  });
  afterAll(() => mongo?.close());

  it('creates its indexes idempotently', async () => {
    await store.ensureIndexes();
    const names = async (collection: string) => (await mongo.db().collection(collection).indexes()).map((index) => index.name);
    expect(await names(COLLECTIONS.invoices)).toEqual(expect.arrayContaining(['state_created', 'state_status', 'state_customer']));
    expect(await names(COLLECTIONS.invoicePayments)).toEqual(expect.arrayContaining(['reference_paid']));
  });

  it('inserts the first snapshot once, and never over a state the plan already wrote', async () => {
    const id = reference();
    expect(await store.create(invoiceProjection(id, {}))).toBe('written');
    expect(await store.create(invoiceProjection(id, { amount: 5 }))).toBe('exists');
    expect(await store.findByReference(id)).toMatchObject({ _id: id, amount: 100, createdAt: new Date('2026-11-24T10:00:00.000Z') });
    const stored = await mongo.db().collection<{ _id: string; state: Record<string, unknown> }>(COLLECTIONS.invoices).findOne({ _id: id });
    expect(Object.keys(stored!.state)[0]).toBe('version'); // $max compares it first
    expect(stored!.state).not.toHaveProperty('pause'); // no nulls for what the state does not have

    const raced = reference();
    await store.save(invoiceProjection(raced, { status: 'paused', version: 2 }));
    expect(await store.create(invoiceProjection(raced, {}))).toBe('exists');
    expect(await store.findByReference(raced)).toMatchObject({ status: 'paused', version: 2 });
  });

  it('saves newer versions and never lets a late or retried one move the plan backwards', async () => {
    const id = reference();
    await store.create(invoiceProjection(id, {}));
    expect(await store.save(invoiceProjection(id, { status: 'paused', pause: { reason: 'r', by: 'operator' }, version: 3 }))).toBe(
      'written',
    );
    expect(await store.save(invoiceProjection(id, { status: 'open', version: 2 }))).toBe('stale');
    expect(await store.save(invoiceProjection(id, { status: 'paid', outstanding: 0, version: 10 }))).toBe('written');
    expect(await store.save(invoiceProjection(id, { status: 'open', version: 9 }))).toBe('stale');
    const stored = await store.findByReference(id);
    expect(stored).toMatchObject({ status: 'paid', outstanding: 0, version: 10 });
    expect(stored).not.toHaveProperty('pause'); // a field the newer state no longer has is gone
  });

  it('records a payment once per id: a repeat changes nothing, another amount under the same id is a conflict', async () => {
    const id = reference();
    await store.create(invoiceProjection(id, { amount: 100 }));
    const payment = { id: 'pay-1', amount: 40, paidAt };
    expect(await store.recordPayment(id, payment, 'api')).toEqual({ outcome: 'recorded', payment });
    expect(await store.recordPayment(id, { ...payment, paidAt: '2026-12-03T00:00:00.000Z' }, 'webhook')).toEqual({
      outcome: 'duplicate',
      payment,
    });
    expect(await store.recordPayment(id, { ...payment, amount: 45 }, 'api')).toEqual({ outcome: 'conflict', payment });
    expect(await store.paymentsFor(id)).toEqual([payment]);
    // The same payment id on another invoice is another payment.
    const other = reference();
    await store.create(invoiceProjection(other, {}));
    expect((await store.recordPayment(other, payment, 'api')).outcome).toBe('recorded');
  });

  it('counts what is owed from every payment recorded, in cents', async () => {
    const id = reference();
    await store.create(invoiceProjection(id, { amount: 100, currency: 'EUR' }));
    expect(await store.balance(id)).toEqual({ amount: 100, currency: 'EUR', outstanding: 100 });
    await store.recordPayment(id, { id: 'a', amount: 33.33, paidAt }, 'api');
    expect(await store.balance(id)).toEqual({ amount: 100, currency: 'EUR', outstanding: 66.67 });
    await store.recordPayment(id, { id: 'b', amount: 66.67, paidAt: '2026-12-01T09:00:00.000Z' }, 'webhook');
    expect(await store.balance(id)).toEqual({ amount: 100, currency: 'EUR', outstanding: 0 });
    expect((await store.paymentsFor(id)).map((payment) => payment.id)).toEqual(['b', 'a']); // in the order paid
    expect(await store.balance(reference())).toBeUndefined();
  });

  it('records 10 payments at once without losing one (inserts, not updates of the invoice)', async () => {
    const id = reference();
    await store.create(invoiceProjection(id, { amount: 100 }));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) => store.recordPayment(id, { id: `p${index}`, amount: 7.5, paidAt }, 'api')),
    );
    expect(outcomes.every((recording) => recording.outcome === 'recorded')).toBe(true);
    expect(await store.balance(id)).toMatchObject({ outstanding: 25 });
  });

  it('lists by status and customer, newest first, in pages', async () => {
    const customerId = `cust-${randomUUID()}`;
    const ids = [reference(), reference(), reference()];
    for (const [index, id] of ids.entries()) {
      await store.create(
        invoiceProjection(id, {
          customer: { id: customerId, name: 'N', phone: '+14155550100' },
          createdAt: `2026-11-2${index}T10:00:00.000Z`,
          status: index === 1 ? 'paid' : 'open',
        }),
      );
    }
    const first = await store.list({ customerId, limit: 2 });
    expect(first.map((invoice) => invoice._id)).toEqual([ids[2], ids[1]]);
    const next = await store.list({ customerId, limit: 2, after: { createdAt: first[1]!.createdAt, id: first[1]!._id } });
    expect(next.map((invoice) => invoice._id)).toEqual([ids[0]]);
    expect((await store.list({ customerId, status: 'paid', limit: 10 })).map((invoice) => invoice._id)).toEqual([ids[1]]);
    expect(await store.list({ customerId, status: 'cancelled', limit: 10 })).toEqual([]);
  });

  it('finds the reminders of an invoice plan by the reference their projection carries', async () => {
    const reminders = new ReminderStore(mongo.db());
    await reminders.ensureIndexes();
    const id = reference();
    const [first, second, unrelated] = [randomUUID(), randomUUID(), randomUUID()];
    await reminders.create(reminderProjection(second, { invoice: { reference: id }, createdAt: '2026-12-01T10:00:00.000Z' }));
    await reminders.create(reminderProjection(first, { invoice: { reference: id }, createdAt: '2026-11-28T10:00:00.000Z' }));
    await reminders.create(
      reminderProjection(unrelated, { payment: { amount: 1, currency: 'USD', dueDate: '2026-12-01', reference: id } }),
    );
    expect((await reminders.findByInvoice(id)).map((reminder) => reminder._id)).toEqual([first, second]);
    const names = (await mongo.db().collection(COLLECTIONS.reminders).indexes()).map((index) => index.name);
    expect(names).toContain('state_invoice');
  });
});
