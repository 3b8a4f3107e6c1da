import { MongoServerError, type Collection, type Db, type UpdateFilter } from 'mongodb';
import type { Channel } from '../domain/reminder';
import type { ConsentState } from '../policy/types';
import { COLLECTIONS } from './collections';

/** Who or what changed a consent: the inbound SMS webhook, a Twilio 21610 on send, the voice agent, an operator. */
export type ConsentSource = 'twilio-inbound' | 'twilio-21610' | 'voice-agent' | 'api';

export interface ConsentChange {
  optedOut: boolean;
  channels?: Channel[];
  source: ConsentSource;
  /** e.g. the keyword or phrase that opted out, or the reminder whose call heard it. */
  detail?: string;
  at: Date;
}

/** One phone number's consent as stored: the current state and every change that led to it. */
interface StoredConsent {
  /** The phone number, E.164. */
  _id: string;
  optedOut: boolean;
  channels?: Channel[];
  updatedAt: Date;
  history: ConsentChange[];
}

export interface ConsentRecord extends Omit<StoredConsent, '_id'> {
  phone: string;
}

/**
 * The `consents` collection: one record per phone number, with its history. Each change is
 * one update by `_id` (upsert, `$set` the state and `$push` the change), the only filter
 * FerretDB answers from an index. MongoDB applies it atomically; FerretDB 1.24 reads and
 * rewrites the whole document, so two changes to one number at the same instant may keep only
 * one history entry there (local stacks only; the state is still the one written last).
 */
export class ConsentStore {
  private readonly consents: Collection<StoredConsent>;

  constructor(db: Db) {
    this.consents = db.collection<StoredConsent>(COLLECTIONS.consents);
  }

  /** What the contact policy needs; undefined when the number never opted out or in. */
  async get(phone: string): Promise<ConsentState | undefined> {
    const stored = await this.consents.findOne({ _id: phone }, { projection: { optedOut: 1, channels: 1 } });
    if (!stored) return undefined;
    return { optedOut: stored.optedOut, ...(stored.channels ? { channels: stored.channels } : {}) };
  }

  /** The record with its history, for operators. */
  async find(phone: string): Promise<ConsentRecord | undefined> {
    const stored = await this.consents.findOne({ _id: phone });
    if (!stored) return undefined;
    const { _id, ...rest } = stored;
    return { phone: _id, ...rest };
  }

  /** Opts the number out, of `channels` only when given (otherwise the profile says which). */
  async optOut(phone: string, change: { source: ConsentSource; detail?: string; channels?: Channel[] }, now = new Date()): Promise<void> {
    await this.record(phone, { optedOut: true, ...change }, now);
  }

  async optIn(phone: string, change: { source: ConsentSource; detail?: string }, now = new Date()): Promise<void> {
    await this.record(phone, { optedOut: false, source: change.source, ...(change.detail ? { detail: change.detail } : {}) }, now);
  }

  private async record(phone: string, change: Omit<ConsentChange, 'at'>, now: Date): Promise<void> {
    const entry: ConsentChange = {
      optedOut: change.optedOut,
      ...(change.channels ? { channels: change.channels } : {}),
      source: change.source,
      ...(change.detail ? { detail: change.detail.slice(0, 200) } : {}),
      at: now,
    };
    const update: UpdateFilter<StoredConsent> = {
      $set: { optedOut: entry.optedOut, updatedAt: now, ...(entry.channels ? { channels: entry.channels } : {}) },
      $push: { history: entry },
      // A change without channels covers what the profile says: an earlier narrower opt-out no longer applies.
      ...(entry.channels ? {} : { $unset: { channels: '' } }),
    };
    const write = () => this.consents.updateOne({ _id: phone }, update, { upsert: true });
    await write().catch((error: unknown) => {
      // Two first changes raced to insert the record: the second one is now an update.
      if (error instanceof MongoServerError && error.code === 11000) return write();
      throw error;
    });
  }
}
