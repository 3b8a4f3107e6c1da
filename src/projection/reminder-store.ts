import { MongoServerError, type Collection, type Db, type Filter, type IndexDescription } from 'mongodb';
import type { ReminderProjection } from '../activities/types';
import type { Channel, HistoryEntry, ReminderStatus } from '../domain/reminder';

/** The MongoDB document: the projection with dates as Dates and the reminder id as `_id`. */
export interface ReminderDocument extends Omit<ReminderProjection, 'createdAt' | 'history' | 'sendAt' | 'nextAttemptAt'> {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
  sendAt?: Date;
  nextAttemptAt?: Date;
  history: (Omit<HistoryEntry, 'at'> & { at: Date })[];
}

export interface ReminderListQuery {
  status?: ReminderStatus;
  channel?: Channel;
  customerId?: string;
  limit: number;
  /** Opaque cursor from the previous page: createdAt and id of its last item. */
  after?: { createdAt: Date; id: string };
}

/** The projection as stored: dates as Dates, and no `_id` yet. */
function toDocument(projection: ReminderProjection, now: Date) {
  const { createdAt, sendAt, nextAttemptAt, history, ...rest } = projection;
  return {
    ...rest,
    createdAt: new Date(createdAt),
    history: history.map((entry) => ({ ...entry, at: new Date(entry.at) })),
    updatedAt: now,
    ...(sendAt ? { sendAt: new Date(sendAt) } : {}),
    ...(nextAttemptAt ? { nextAttemptAt: new Date(nextAttemptAt) } : {}),
  };
}

/**
 * The `reminders` collection. The API inserts a new reminder's first projection; after that
 * every write (by the workflow's activities) is the whole projection at a version: a retried
 * or late write of an older version is a no-op, so the stored reminder never moves backwards.
 * Uses only operations that real MongoDB and FerretDB both support (no transactions, partial
 * indexes or arrayFilters).
 */
export class ReminderStore {
  private readonly reminders: Collection<ReminderDocument>;

  constructor(db: Db) {
    this.reminders = db.collection<ReminderDocument>('reminders');
  }

  /**
   * Indexes for the API's list filters (newest first) and the Twilio callback lookup.
   * Creates only the missing ones: FerretDB 1.24 drops the connection (an internal panic)
   * when asked to create an index that already exists, which MongoDB would accept.
   */
  async ensureIndexes(): Promise<void> {
    const wanted: IndexDescription[] = [
      { key: { createdAt: -1, _id: -1 }, name: 'by_created' },
      { key: { status: 1, createdAt: -1, _id: -1 }, name: 'by_status' },
      { key: { channel: 1, createdAt: -1, _id: -1 }, name: 'by_channel' },
      { key: { 'customer.id': 1, createdAt: -1, _id: -1 }, name: 'by_customer' },
      { key: { externalId: 1 }, name: 'by_external_id' },
    ];
    const existing = await this.reminders.indexes().catch((error: unknown) => {
      if (error instanceof MongoServerError && error.code === 26) return []; // no collection yet
      throw error;
    });
    const names = new Set(existing.map((index) => index.name));
    const missing = wanted.filter((index) => !names.has(index.name));
    if (missing.length > 0) await this.reminders.createIndexes(missing);
  }

  /**
   * Writes a reminder's first projection unless one exists: an insert, so it can never
   * overwrite a state the workflow has already recorded (and it needs no filter, which
   * FerretDB would answer with a collection scan).
   */
  async create(projection: ReminderProjection, now = new Date()): Promise<'written' | 'exists'> {
    const document = toDocument(projection, now);
    const defined = Object.fromEntries(Object.entries(document).filter(([, value]) => value !== undefined)) as typeof document;
    try {
      await this.reminders.insertOne({ ...defined, _id: projection.reminderId });
      return 'written';
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return 'exists';
      throw error;
    }
  }

  /** Writes the projection unless the stored one is already at this version or newer. */
  async save(projection: ReminderProjection, now = new Date()): Promise<'written' | 'stale'> {
    const { createdAt, ...document } = toDocument(projection, now);
    const unset = Object.fromEntries(
      (['externalId', 'deliveryStatus', 'callOutcome', 'skipReason', 'errorCode', 'permanentFailure', 'nextAttemptAt', 'sendAt'] as const)
        .filter((field) => (document as Record<string, unknown>)[field] === undefined)
        .map((field) => [field, '' as const]),
    );
    try {
      await this.reminders.updateOne(
        { _id: projection.reminderId, version: { $lt: projection.version } },
        {
          $set: document,
          $setOnInsert: { createdAt },
          ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
        },
        { upsert: true },
      );
      return 'written';
    } catch (error) {
      // The filter missed because a newer (or the same) version is stored, so the upsert
      // tried to insert an existing _id: the write is stale, which is fine.
      if (error instanceof MongoServerError && error.code === 11000) return 'stale';
      throw error;
    }
  }

  findById(reminderId: string): Promise<ReminderDocument | null> {
    return this.reminders.findOne({ _id: reminderId });
  }

  findByExternalId(externalId: string): Promise<ReminderDocument | null> {
    return this.reminders.findOne({ externalId });
  }

  async list(query: ReminderListQuery): Promise<ReminderDocument[]> {
    const filter: Filter<ReminderDocument> = {};
    if (query.status) filter.status = query.status;
    if (query.channel) filter.channel = query.channel;
    if (query.customerId) filter['customer.id'] = query.customerId;
    if (query.after) {
      filter.$or = [
        { createdAt: { $lt: query.after.createdAt } },
        { createdAt: query.after.createdAt, _id: { $lt: query.after.id } },
      ];
    }
    return this.reminders.find(filter).sort({ createdAt: -1, _id: -1 }).limit(query.limit).toArray();
  }
}
