import { MongoServerError, type Collection, type Db, type Filter, type IndexDescription } from 'mongodb';
import { outstandingAmount, type InvoicePayment, type InvoiceStatus } from '../domain/invoice';
import type { InvoiceSnapshot } from '../workflows/invoice-definitions';
import { COLLECTIONS } from './collections';
import { ensureMissingIndexes } from './indexes';

/** A snapshot as kept under `state`: `version` first (it decides `$max`), createdAt a Date for sorting. */
interface StoredSnapshot extends Omit<InvoiceSnapshot, 'createdAt'> {
  createdAt: Date;
  updatedAt: Date;
}

/** As ReminderStore keeps reminders: `{_id: reference, state}`, so `$max: {state}` orders writes by version. */
interface StoredInvoice {
  _id: string;
  state: StoredSnapshot;
}

/** An invoice as read: its stored snapshot, with the reference as `_id`. */
export interface InvoiceDocument extends StoredSnapshot {
  _id: string;
}

/** Where a payment came from: `POST /api/invoices/:reference/payments` or the payment webhook. */
export type PaymentSource = 'api' | 'webhook';

interface StoredPayment {
  /** `${reference}#${id}`, both percent-encoded: unique, so the insert is the idempotency check. */
  _id: string;
  reference: string;
  paymentId: string;
  amount: number;
  paidAt: Date;
  source: PaymentSource;
  recordedAt: Date;
}

/** What recording a payment did; `payment` is the one stored (the first, for a repeat). */
export type PaymentRecording =
  | { outcome: 'recorded' | 'duplicate'; payment: InvoicePayment }
  /** The id was recorded before with another amount: nothing changed. */
  | { outcome: 'conflict'; payment: InvoicePayment };

/** What an invoice still owes, from its amount and every payment recorded for it. */
export interface InvoiceBalance {
  amount: number;
  currency: string;
  outstanding: number;
}

export interface InvoiceListQuery {
  status?: InvoiceStatus;
  customerId?: string;
  limit: number;
  /** From the previous page: createdAt and reference of its last item. */
  after?: { createdAt: Date; id: string };
}

const INVOICE_INDEXES: IndexDescription[] = [
  { key: { 'state.createdAt': -1, _id: -1 }, name: 'state_created' },
  { key: { 'state.status': 1, 'state.createdAt': -1, _id: -1 }, name: 'state_status' },
  { key: { 'state.customer.id': 1, 'state.createdAt': -1, _id: -1 }, name: 'state_customer' },
];
const PAYMENT_INDEXES: IndexDescription[] = [{ key: { reference: 1, paidAt: 1, _id: 1 }, name: 'reference_paid' }];

const paymentKey = (reference: string, id: string) => `${encodeURIComponent(reference)}#${encodeURIComponent(id)}`;
const cents = (amount: number) => Math.round(amount * 100);

function toStored(snapshot: InvoiceSnapshot, now: Date): StoredSnapshot {
  const { version, createdAt, ...rest } = snapshot;
  const stored: StoredSnapshot = { version, ...rest, createdAt: new Date(createdAt), updatedAt: now };
  // Undefined fields would be stored as nulls (and `pause: null` is not "not paused").
  return Object.fromEntries(Object.entries(stored).filter(([, field]) => field !== undefined)) as StoredSnapshot;
}

const fromStored = ({ _id, state }: StoredInvoice): InvoiceDocument => ({ _id, ...state });
const paymentOf = ({ paymentId, amount, paidAt }: StoredPayment): InvoicePayment => ({
  id: paymentId,
  amount,
  paidAt: paidAt.toISOString(),
});

/**
 * The `invoices` and `invoice_payments` collections. The API inserts an invoice's first
 * snapshot (its details, resolved plan and request fingerprint) before it starts the plan;
 * the plan's workflow writes every later state through `save`, ordered by version like
 * ReminderStore. Payments are insert-only documents: FerretDB 1.24 runs an update as "read,
 * then rewrite" with nothing in between, so a `$push` onto the invoice could lose a payment
 * to a concurrent write, while an insert of a unique `_id` is atomic on both servers (as in
 * contact-ledger.ts). What is owed is always counted from those documents, never cached.
 */
export class InvoiceStore {
  private readonly invoices: Collection<StoredInvoice>;
  private readonly payments: Collection<StoredPayment>;

  constructor(db: Db) {
    this.invoices = db.collection<StoredInvoice>(COLLECTIONS.invoices);
    this.payments = db.collection<StoredPayment>(COLLECTIONS.invoicePayments);
  }

  async ensureIndexes(): Promise<void> {
    await ensureMissingIndexes(this.invoices, INVOICE_INDEXES);
    await ensureMissingIndexes(this.payments, PAYMENT_INDEXES);
  }

  /** Inserts the invoice's first snapshot unless it has one: never overwrites what the plan wrote. */
  async create(snapshot: InvoiceSnapshot, now = new Date()): Promise<'written' | 'exists'> {
    try {
      await this.invoices.insertOne({ _id: snapshot.reference, state: toStored(snapshot, now) });
      return 'written';
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return 'exists';
      throw error;
    }
  }

  /**
   * Writes the snapshot unless the stored one is at a higher version (InvoiceProjectionStore,
   * for the plan's projection activity): a retried or late write never moves it backwards.
   */
  async save(snapshot: InvoiceSnapshot, now = new Date()): Promise<'written' | 'stale'> {
    const write = () =>
      this.invoices.updateOne({ _id: snapshot.reference }, { $max: { state: toStored(snapshot, now) } }, { upsert: true });
    const result = await write().catch((error: unknown) => {
      // Two first writes raced to insert the document: the second one is now an update.
      if (error instanceof MongoServerError && error.code === 11000) return write();
      throw error;
    });
    return result.modifiedCount + result.upsertedCount > 0 ? 'written' : 'stale';
  }

  async findByReference(reference: string): Promise<InvoiceDocument | null> {
    const stored = await this.invoices.findOne({ _id: reference });
    return stored && fromStored(stored);
  }

  /** Newest first, in pages; each filter has its index. */
  async list(query: InvoiceListQuery): Promise<InvoiceDocument[]> {
    const filter: Filter<StoredInvoice> = {};
    if (query.status) filter['state.status'] = query.status;
    if (query.customerId) filter['state.customer.id'] = query.customerId;
    if (query.after) {
      filter.$or = [
        { 'state.createdAt': { $lt: query.after.createdAt } },
        { 'state.createdAt': query.after.createdAt, _id: { $lt: query.after.id } },
      ];
    }
    const stored = await this.invoices.find(filter).sort({ 'state.createdAt': -1, _id: -1 }).limit(query.limit).toArray();
    return stored.map(fromStored);
  }

  /**
   * Records a payment once per (reference, id). The same id again with the same amount is a
   * repeat (a retried request or webhook) and changes nothing; with another amount it is a
   * conflict and changes nothing either. The caller checks that the invoice exists.
   */
  async recordPayment(reference: string, payment: InvoicePayment, source: PaymentSource, now = new Date()): Promise<PaymentRecording> {
    const stored: StoredPayment = {
      _id: paymentKey(reference, payment.id),
      reference,
      paymentId: payment.id,
      amount: payment.amount,
      paidAt: new Date(payment.paidAt),
      source,
      recordedAt: now,
    };
    try {
      await this.payments.insertOne(stored);
      return { outcome: 'recorded', payment: paymentOf(stored) };
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
    const first = await this.payments.findOne({ _id: stored._id });
    if (!first) throw new Error(`payment ${payment.id} of ${reference} was recorded and is gone`);
    return { outcome: cents(first.amount) === cents(payment.amount) ? 'duplicate' : 'conflict', payment: paymentOf(first) };
  }

  /** The invoice's payments, in the order they were paid. */
  async paymentsFor(reference: string): Promise<InvoicePayment[]> {
    const stored = await this.payments.find({ reference }).sort({ paidAt: 1, _id: 1 }).toArray();
    return stored.map(paymentOf);
  }

  /**
   * What the invoice still owes: its amount less every payment recorded (outstandingAmount),
   * read at this moment; undefined for an invoice the store does not have. The send activity
   * asks this right before each contact a plan makes.
   */
  async balance(reference: string): Promise<InvoiceBalance | undefined> {
    const [invoice, payments] = await Promise.all([
      this.invoices.findOne({ _id: reference }, { projection: { 'state.amount': 1, 'state.currency': 1 } }),
      this.paymentsFor(reference),
    ]);
    if (!invoice) return undefined;
    const { amount, currency } = invoice.state;
    return { amount, currency, outstanding: outstandingAmount(amount, payments) };
  }
}
