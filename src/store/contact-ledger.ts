import { MongoServerError, type Collection, type Db, type IndexDescription } from 'mongodb';
import type { Channel } from '../domain/reminder';
import type { ContactDecision, ContactRecord } from '../policy/types';
import { COLLECTIONS } from './collections';
import { ensureMissingIndexes } from './indexes';

/** A debt: one customer's invoice reference. The caps count contacts per debt. */
export interface Debt {
  customerId: string;
  reference: string;
}

/** One contact the send activity is about to make. */
export interface ContactAttempt {
  reminderId: string;
  attempt: number;
  channel: Channel;
  /** Epoch milliseconds. */
  at: number;
}

export type ContactEventKind = 'contact' | 'deferred' | 'refused';

/** A contact made, deferred or refused, as operators read it. */
export interface ContactEvent extends Debt {
  kind: ContactEventKind;
  reminderId: string;
  attempt: number;
  channel: Channel;
  at: Date;
  reason?: string;
  /** For a deferral: when the contact may be tried again. */
  until?: Date;
}

/** The contacts of one debt at one version (version n holds n changes). */
interface LedgerState {
  version: number;
  contacts: ContactRecord[];
}

interface StoredVersion extends Debt {
  /** `${debtKey}#${version}`: unique, so only one writer can insert each version. */
  _id: string;
  state: LedgerState;
  /** The contact this version adds, as its event (a version that marks a conversation has none). */
  contact?: Omit<ContactEvent, keyof Debt | 'kind'>;
}

interface StoredDebt extends Debt {
  _id: string;
  /** The newest version its writers got to record here; never ahead of contactVersions. */
  state: LedgerState;
}

/** A deferral or a refusal; contacts made are their versions' `contact`. */
interface StoredEvent extends ContactEvent {
  _id: string;
}

/** Thrown when a debt stayed contended past every round; the activity's retry tries again. */
export class ContactLedgerContentionError extends Error {
  constructor(readonly debtKey: string) {
    super(`contact ledger for ${debtKey} stayed contended; retry`);
    this.name = 'ContactLedgerContentionError';
  }
}

/** Each lost round means another contact for the debt was recorded, so this bounds concurrent contacts, not time. */
const MAX_ROUNDS = 50;

const EVENT_INDEXES: IndexDescription[] = [{ key: { customerId: 1, at: -1, _id: -1 }, name: 'customer_at' }];
const VERSION_INDEXES: IndexDescription[] = [{ key: { customerId: 1, 'contact.at': -1, _id: -1 }, name: 'customer_contact_at' }];

/**
 * The key of a debt: both parts percent-encoded, so a `:` (or `#`) inside a customer id or a
 * reference cannot make two debts share a key.
 */
export const debtKey = (debt: Debt): string => `${encodeURIComponent(debt.customerId)}:${encodeURIComponent(debt.reference)}`;

const ALLOW: ContactDecision = { verdict: 'allow' };

/**
 * The contacts made per debt, counted atomically across reminders running at the same time.
 *
 * Why versions are inserted rather than a `version` field compared-and-set: FerretDB 1.24
 * (our local MongoDB) runs every update as "read the document, then rewrite it", with nothing
 * between the two, so `updateOne({ _id, version }, …)` lets several writers of one version
 * all succeed, and concurrent `$push`es lose entries (tried: 20 at once, 3 to 12 winners).
 * An insert of a unique `_id` is atomic on both servers. So each state of a debt's contacts is
 * its own document, `${debtKey}#${version}`, and whoever inserts version n + 1 first made the
 * contact; the others read again and decide again. `contact_debts` holds a copy of the newest
 * state each winner wrote; it may lag behind, never lead.
 *
 * The check runs before every send, so its writes and round trips are the send's cost: an
 * allowed contact reads the copy (while the caller reads the consent beside it), inserts the
 * next version, which carries both the check (it succeeds only if the copy was the newest
 * state) and the contact's event, then writes the copy (an insert for a debt's first
 * contact). A decision not to contact looks for a newer version before it stands, as nothing
 * written proves it was made on the newest state; deferrals and refusals are insert-only
 * event documents.
 */
export class ContactLedger {
  private readonly debts: Collection<StoredDebt>;
  private readonly versions: Collection<StoredVersion>;
  private readonly events: Collection<StoredEvent>;

  constructor(db: Db) {
    this.debts = db.collection<StoredDebt>(COLLECTIONS.contactDebts);
    this.versions = db.collection<StoredVersion>(COLLECTIONS.contactVersions);
    this.events = db.collection<StoredEvent>(COLLECTIONS.contactEvents);
  }

  /** Creates the missing indexes for forCustomer (FerretDB drops the connection on an existing one). */
  async ensureIndexes(): Promise<void> {
    await ensureMissingIndexes(this.events, EVENT_INDEXES);
    await ensureMissingIndexes(this.versions, VERSION_INDEXES);
  }

  /**
   * Decides and records one contact for a debt. A (reminder, attempt) that already has a
   * contact is allowed again without counting twice: a retried send activity must neither be
   * counted twice nor deferred after it sent. Otherwise `decide` sees the debt's contacts;
   * an allow is recorded only if no other contact was recorded since they were read (else
   * this reads and decides again). Deferrals and refusals are recorded as events.
   */
  async reserve(
    debt: Debt,
    contact: ContactAttempt,
    decide: (contacts: ContactRecord[]) => ContactDecision | Promise<ContactDecision>,
  ): Promise<ContactDecision> {
    const key = debtKey(debt);
    let state = await this.cached(key);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // Contacts are never removed, so even a lagging copy that holds this one is right.
      if (state.contacts.some((made) => made.reminderId === contact.reminderId && made.attempt === contact.attempt)) return ALLOW;
      const decision = await decide(state.contacts);
      if (decision.verdict !== 'allow') {
        const newest = await this.after(key, state);
        if (newest !== state) {
          state = newest;
          continue;
        }
        await this.recordEvent(
          debt,
          contact,
          decision.verdict === 'defer' ? 'deferred' : 'refused',
          decision.reason,
          decision.verdict === 'defer' ? decision.until : undefined,
        );
        return decision;
      }
      const record: ContactRecord = { reminderId: contact.reminderId, attempt: contact.attempt, channel: contact.channel, at: contact.at };
      const next: LedgerState = { version: state.version + 1, contacts: [...state.contacts, record] };
      if (await this.insertVersion(debt, key, next, { ...record, at: new Date(contact.at) })) {
        await this.cache(debt, key, next);
        return decision;
      }
      state = await this.after(key, state);
    }
    throw new ContactLedgerContentionError(key);
  }

  /** Notes that this contact became a conversation (a connected call): the quiet period after one starts. */
  async markConversation(debt: Debt, reminderId: string, attempt: number): Promise<boolean> {
    const key = debtKey(debt);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const state = await this.latest(key);
      const made = state.contacts.find((contact) => contact.reminderId === reminderId && contact.attempt === attempt);
      if (!made) return false;
      if (made.conversation) return true;
      const contacts = state.contacts.map((contact) => (contact === made ? { ...contact, conversation: true } : contact));
      const next = { version: state.version + 1, contacts };
      if (await this.insertVersion(debt, key, next)) {
        await this.cache(debt, key, next);
        return true;
      }
    }
    throw new ContactLedgerContentionError(key);
  }

  /** The debt's contacts as the policy sees them (for checks and tests). */
  async contactsFor(debt: Debt): Promise<ContactRecord[]> {
    return (await this.latest(debtKey(debt))).contacts;
  }

  /** The customer's contact events over all debts (contacts made, deferred, refused), newest first. */
  async forCustomer(customerId: string, limit = 100): Promise<ContactEvent[]> {
    const [decisions, versions] = await Promise.all([
      this.events.find({ customerId }).sort({ at: -1, _id: -1 }).limit(limit).toArray(),
      this.versions
        .find({ customerId, contact: { $exists: true } })
        .sort({ 'contact.at': -1, _id: -1 })
        .limit(limit)
        .toArray(),
    ]);
    const events = [
      ...decisions.map(({ _id, ...event }) => ({ _id, event })),
      ...versions.map(({ _id, customerId, reference, contact }) => ({
        _id,
        event: { customerId, reference, kind: 'contact' as const, ...contact! },
      })),
    ];
    events.sort((a, b) => b.event.at.getTime() - a.event.at.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0));
    return events.slice(0, limit).map(({ event }) => event);
  }

  /** The newest state: the cached copy, then any versions written after it. */
  private async latest(key: string): Promise<LedgerState> {
    return this.after(key, await this.cached(key));
  }

  /** The cached copy of the debt's state (possibly behind the newest version). */
  private async cached(key: string): Promise<LedgerState> {
    return (await this.debts.findOne({ _id: key }))?.state ?? { version: 0, contacts: [] };
  }

  /** The versions written after `state`, the newest of them; `state` itself when there are none. */
  private async after(key: string, state: LedgerState): Promise<LedgerState> {
    for (;;) {
      const next = await this.versions.findOne({ _id: `${key}#${state.version + 1}` });
      if (!next) return state;
      state = next.state;
    }
  }

  /** Inserts the next version, with the contact it adds; false if another writer got there first. */
  private async insertVersion(debt: Debt, key: string, state: LedgerState, contact?: StoredVersion['contact']): Promise<boolean> {
    const version: StoredVersion = { _id: `${key}#${state.version}`, customerId: debt.customerId, reference: debt.reference, state };
    try {
      await this.versions.insertOne(contact ? { ...version, contact } : version);
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }

  /**
   * The copy: `$max` compares `state` version first, so on MongoDB it only moves forward. The
   * winner of a debt's first version inserts it instead (an update reads and rewrites on
   * FerretDB); should a later version's writer have got there first, it updates after all.
   */
  private async cache(debt: Debt, key: string, state: LedgerState): Promise<void> {
    if (state.version === 1) {
      const inserted = await this.debts.insertOne({ _id: key, customerId: debt.customerId, reference: debt.reference, state }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof MongoServerError && error.code === 11000) return false;
          throw error;
        },
      );
      if (inserted) return;
    }
    const write = () =>
      this.debts.updateOne(
        { _id: key },
        { $max: { state }, $setOnInsert: { customerId: debt.customerId, reference: debt.reference } },
        { upsert: true },
      );
    await write().catch((error: unknown) => {
      if (error instanceof MongoServerError && error.code === 11000) return write();
      throw error;
    });
  }

  /**
   * Inserts a deferral or a refusal under an id made of what it records, so a retried
   * activity's repeat of the same decision at the same time is stored once.
   */
  private async recordEvent(
    debt: Debt,
    contact: ContactAttempt,
    kind: Exclude<ContactEventKind, 'contact'>,
    reason?: string,
    until?: number,
  ): Promise<void> {
    const key = debtKey(debt);
    const _id = `${key}#${kind}#${contact.reminderId}#${contact.attempt}#${contact.at}`;
    const event: StoredEvent = {
      _id,
      customerId: debt.customerId,
      reference: debt.reference,
      kind,
      reminderId: contact.reminderId,
      attempt: contact.attempt,
      channel: contact.channel,
      at: new Date(contact.at),
      ...(reason ? { reason } : {}),
      ...(until !== undefined ? { until: new Date(until) } : {}),
    };
    try {
      await this.events.insertOne(event);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
  }
}
