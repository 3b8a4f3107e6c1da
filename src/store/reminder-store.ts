import { MongoServerError, type Collection, type Db, type Filter, type IndexDescription } from 'mongodb';
import type { Channel, HistoryEntry, ReminderStatus } from '../domain/reminder';
import { isTerminal } from '../domain/status-machine';
import type { ReminderSnapshot } from '../workflows/definitions';
import { COLLECTIONS } from './collections';
import { ensureMissingIndexes } from './indexes';

/** A snapshot as kept under `state`: dates as Dates, with the time it was written. */
interface StoredSnapshot extends Omit<ReminderSnapshot, 'createdAt' | 'history' | 'sendAt' | 'nextAttemptAt'> {
  createdAt: Date;
  updatedAt: Date;
  sendAt?: Date;
  nextAttemptAt?: Date;
  history: (Omit<HistoryEntry, 'at'> & { at: Date })[];
}

/** A text the customer sent while the reminder was open (Twilio's inbound webhook). */
export interface InboundMessage {
  at: Date;
  body: string;
  messageSid: string;
}

/** A reminder as read: its stored snapshot, with the reminder id as `_id`. */
export interface ReminderDocument extends StoredSnapshot {
  _id: string;
  inbound?: InboundMessage[];
}

/**
 * A reminder as stored: its whole snapshot under one field, `version` first. MongoDB compares
 * embedded documents field by field in order, so `$max` on `state` replaces it exactly when
 * the new version is higher: an atomic, ordered write that needs no filter beyond `_id`.
 */
interface StoredReminder {
  _id: string;
  state: StoredSnapshot;
  /** Outside `state`, so the workflow's `$max` writes of its state leave it alone. */
  inbound?: InboundMessage[];
}

export interface ReminderListQuery {
  status?: ReminderStatus;
  channel?: Channel;
  customerId?: string;
  limit: number;
  /** Opaque cursor from the previous page: createdAt and id of its last item. */
  after?: { createdAt: Date; id: string };
}

/** Indexes for the API's list filters (newest first), the Twilio callback lookup and the invoice view. */
const INDEXES: IndexDescription[] = [
  { key: { 'state.createdAt': -1, _id: -1 }, name: 'state_created' },
  { key: { 'state.status': 1, 'state.createdAt': -1, _id: -1 }, name: 'state_status' },
  { key: { 'state.channel': 1, 'state.createdAt': -1, _id: -1 }, name: 'state_channel' },
  { key: { 'state.customer.id': 1, 'state.createdAt': -1, _id: -1 }, name: 'state_customer' },
  { key: { 'state.externalId': 1 }, name: 'state_external_id' },
  { key: { 'state.customer.phone': 1 }, name: 'state_customer_phone' },
  // The reminders an invoice plan started (GET /api/invoices/:reference reads their live status).
  { key: { 'state.invoice.reference': 1, 'state.createdAt': 1 }, name: 'state_invoice' },
];

/** The statuses a reminder that has not ended can have (a failed one may still be retried). */
const OPEN_STATUSES: ReminderStatus[] = ['pending', 'in_progress', 'processing', 'failed'];

/** Inbound texts kept per reminder: the newest ones (MongoDB; FerretDB 1.24 ignores `$slice`). */
const MAX_INBOUND_MESSAGES = 100;

/** The snapshot as stored: version first (it decides `$max`), dates as Dates, nothing undefined. */
function toStored(snapshot: ReminderSnapshot, now: Date): StoredSnapshot {
  const { version, createdAt, sendAt, nextAttemptAt, history, ...rest } = snapshot;
  const stored: StoredSnapshot = {
    version,
    ...rest,
    createdAt: new Date(createdAt),
    history: history.map((entry) => ({ ...entry, at: new Date(entry.at) })),
    ...(sendAt ? { sendAt: new Date(sendAt) } : {}),
    ...(nextAttemptAt ? { nextAttemptAt: new Date(nextAttemptAt) } : {}),
    updatedAt: now,
  };
  return definedFieldsOf(stored);
}

/** The object without its undefined fields, which the driver would store as nulls. */
function definedFieldsOf<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function fromStored({ _id, state, inbound }: StoredReminder): ReminderDocument {
  return { _id, ...state, ...(inbound ? { inbound } : {}) };
}

/**
 * The `reminders` collection. The API inserts a new reminder's first snapshot; after that
 * every write (by the workflow's activities) is the whole state at a version, and a retried
 * or late write of an older version changes nothing, so the stored reminder never moves
 * backwards. Every write and lookup is by `_id` alone: the one filter every store answers
 * from an index (FerretDB 1.24 answers any other filter on an update by decoding the whole
 * collection). Uses only operations that real MongoDB and FerretDB both support (no
 * transactions, pipeline updates, partial indexes or arrayFilters).
 */
export class ReminderStore {
  private readonly reminders: Collection<StoredReminder>;

  constructor(db: Db) {
    this.reminders = db.collection<StoredReminder>(COLLECTIONS.reminders);
  }

  /** Creates the missing indexes (only those: see ensureMissingIndexes). */
  async ensureIndexes(): Promise<void> {
    await ensureMissingIndexes(this.reminders, INDEXES);
  }

  /**
   * Writes a reminder's first snapshot unless one exists: an insert, so it can never
   * overwrite a state the workflow has already recorded.
   */
  async create(snapshot: ReminderSnapshot, now = new Date()): Promise<'written' | 'exists'> {
    try {
      await this.reminders.insertOne({ _id: snapshot.reminderId, state: toStored(snapshot, now) });
      return 'written';
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return 'exists';
      throw error;
    }
  }

  /**
   * Writes the snapshot unless the stored one is at a higher version. A version names one
   * state of the workflow, so a rewrite at the same version writes the same state.
   */
  async save(snapshot: ReminderSnapshot, now = new Date()): Promise<'written' | 'stale'> {
    const write = () =>
      this.reminders.updateOne({ _id: snapshot.reminderId }, { $max: { state: toStored(snapshot, now) } }, { upsert: true });
    const result = await write().catch((error: unknown) => {
      // Two first writes raced to insert the document: the second one is now an update.
      if (error instanceof MongoServerError && error.code === 11000) return write();
      throw error;
    });
    return result.modifiedCount + result.upsertedCount > 0 ? 'written' : 'stale';
  }

  async findById(reminderId: string): Promise<ReminderDocument | null> {
    const stored = await this.reminders.findOne({ _id: reminderId });
    return stored && fromStored(stored);
  }

  async findByExternalId(externalId: string): Promise<ReminderDocument | null> {
    const stored = await this.reminders.findOne({ 'state.externalId': externalId });
    return stored && fromStored(stored);
  }

  /** The reminders with these ids (for checks across a batch; one query). */
  async findByIds(reminderIds: string[]): Promise<ReminderDocument[]> {
    return (await this.reminders.find({ _id: { $in: reminderIds } }).toArray()).map(fromStored);
  }

  /** The reminders an invoice plan started (their projection carries `invoice.reference`), oldest first. */
  async findByInvoice(reference: string): Promise<ReminderDocument[]> {
    const stored = await this.reminders.find({ 'state.invoice.reference': reference }).sort({ 'state.createdAt': 1, _id: 1 }).toArray();
    return stored.map(fromStored);
  }

  /** The reminders for this phone number that have not ended (whatever their customer id). */
  async findOpenByPhone(phone: string): Promise<ReminderDocument[]> {
    const stored = await this.reminders.find({ 'state.customer.phone': phone, 'state.status': { $in: OPEN_STATUSES } }).toArray();
    return stored.map(fromStored).filter((reminder) => !isTerminal(reminder));
  }

  /**
   * Appends a text the customer sent to the reminder, unless this MessageSid is already there
   * (Twilio may deliver a webhook again). One `$push` by `_id`: MongoDB applies it atomically
   * beside the workflow's writes of `state`. FerretDB 1.24 rewrites the whole document on any
   * update, so there a push at the very instant of a state write can undo one of the two.
   */
  async addInboundMessage(reminderId: string, message: InboundMessage): Promise<'added' | 'duplicate' | 'missing'> {
    const stored = await this.reminders.findOne({ _id: reminderId }, { projection: { inbound: 1 } });
    if (!stored) return 'missing';
    if (stored.inbound?.some((known) => known.messageSid === message.messageSid)) return 'duplicate';
    await this.reminders.updateOne({ _id: reminderId }, { $push: { inbound: { $each: [message], $slice: -MAX_INBOUND_MESSAGES } } });
    return 'added';
  }

  async list(query: ReminderListQuery): Promise<ReminderDocument[]> {
    const filter: Filter<StoredReminder> = {};
    if (query.status) filter['state.status'] = query.status;
    if (query.channel) filter['state.channel'] = query.channel;
    if (query.customerId) filter['state.customer.id'] = query.customerId;
    if (query.after) {
      filter.$or = [
        { 'state.createdAt': { $lt: query.after.createdAt } },
        { 'state.createdAt': query.after.createdAt, _id: { $lt: query.after.id } },
      ];
    }
    const stored = await this.reminders.find(filter).sort({ 'state.createdAt': -1, _id: -1 }).limit(query.limit).toArray();
    return stored.map(fromStored);
  }
}
