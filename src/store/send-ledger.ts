import { MongoServerError, type Collection, type Db } from 'mongodb';
import { COLLECTIONS } from './collections';

export interface SendRecord {
  _id: string;
  reminderId: string;
  attempt: number;
  claimedAt: Date;
  messageSid?: string;
}

/**
 * One record per (reminder, attempt), claimed before Twilio is called. Twilio's API has
 * no idempotency key, so this is what stops a retried sendSms from texting twice: a retry
 * finds the claim and reuses its MessageSid, or (if the worker died between Twilio's answer
 * and recording it) looks the message up at Twilio before sending anything.
 */
export class SendLedger {
  private readonly sends: Collection<SendRecord>;

  constructor(db: Db) {
    this.sends = db.collection<SendRecord>(COLLECTIONS.smsSends);
  }

  /** Claims the send; returns the earlier claim if this (reminder, attempt) was claimed before. */
  async claim(reminderId: string, attempt: number, now = new Date()): Promise<SendRecord | null> {
    const _id = `${reminderId}:${attempt}`;
    try {
      await this.sends.insertOne({ _id, reminderId, attempt, claimedAt: now });
      return null;
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      return this.sends.findOne({ _id });
    }
  }

  async recordMessageSid(reminderId: string, attempt: number, messageSid: string): Promise<void> {
    await this.sends.updateOne({ _id: `${reminderId}:${attempt}` }, { $set: { messageSid } });
  }

  countFor(reminderId: string): Promise<number> {
    return this.sends.countDocuments({ reminderId });
  }
}
