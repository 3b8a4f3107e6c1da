import { MongoServerError, type Collection, type Db } from 'mongodb';
import { COLLECTIONS } from './collections';

export interface WebhookDelivery {
  /** The sender's `webhook-id`: unique per event and the same on every retry of it. */
  _id: string;
  seenAt: Date;
}

/**
 * Remembers which Standard Webhooks `webhook-id`s were already accepted, so a retried or
 * replayed delivery is not processed twice. The id is the document's _id, so the insert
 * itself is the atomic "first time?" check, even with several API instances.
 *
 * Use it only AFTER verifyStandardWebhook: otherwise anyone could burn ids they do not own.
 *
 * Old entries are removed with forgetOlderThan() rather than a TTL index, which FerretDB does
 * not support. Keep entries for at least twice the timestamp tolerance (10 minutes with the
 * default 5): a delivery dated up to 5 minutes ahead stays acceptable for 10 minutes after
 * it was first seen, and only the timestamp check stops a replay after its entry is gone.
 */
export class SeenWebhookIds {
  private readonly deliveries: Collection<WebhookDelivery>;

  constructor(db: Db) {
    this.deliveries = db.collection<WebhookDelivery>(COLLECTIONS.webhookDeliveries);
  }

  /** True the first time `id` is seen (and records it); false for every later call. */
  async firstTime(id: string, now = new Date()): Promise<boolean> {
    try {
      await this.deliveries.insertOne({ _id: id, seenAt: now });
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }

  /**
   * Undoes firstTime() for one id. For a route that records the id before acting on the event
   * and then fails (e.g. Temporal unavailable → 503): without this, the sender's retry would be
   * taken for a duplicate and the event lost.
   */
  async forget(id: string): Promise<void> {
    await this.deliveries.deleteOne({ _id: id });
  }

  /** Deletes entries seen strictly before `cutoff`; returns how many. */
  async forgetOlderThan(cutoff: Date): Promise<number> {
    const { deletedCount } = await this.deliveries.deleteMany({ seenAt: { $lt: cutoff } });
    return deletedCount;
  }
}
