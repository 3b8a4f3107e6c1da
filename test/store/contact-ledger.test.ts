import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { ContactDecision, ContactRecord } from '../../src/policy/types';
import { ContactLedger, debtKey, type ContactAttempt } from '../../src/store/contact-ledger';
import { testStack } from '../support/stack';

const T0 = Date.parse('2026-11-24T15:00:00.000Z');

/** A stand-in policy: at most `max` contacts per debt, then defer by an hour. */
const atMost =
  (max: number) =>
  (contacts: ContactRecord[]): ContactDecision =>
    contacts.length < max ? { verdict: 'allow' } : { verdict: 'defer', until: T0 + 3_600_000, reason: `cap of ${max} contacts reached` };

const ALLOW: ContactDecision = { verdict: 'allow' };
const DEFER: ContactDecision = { verdict: 'defer', until: T0 + 3_600_000, reason: 'not yet' };

const attempt = (reminderId = randomUUID(), overrides: Partial<ContactAttempt> = {}): ContactAttempt => ({
  reminderId,
  attempt: 1,
  channel: 'sms',
  at: T0,
  ...overrides,
});

describe('the contact ledger in MongoDB (FerretDB)', () => {
  let mongo: MongoClient;
  let ledger: ContactLedger;
  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('contacts'), { retryWrites: false });
    ledger = new ContactLedger(mongo.db());
    await ledger.ensureIndexes();
  });
  afterAll(() => mongo?.close());

  it('lets exactly the allowed number of 20 concurrent contacts for one debt through and defers the rest', async () => {
    const debt = { customerId: randomUUID(), reference: 'INV-1' };
    const decisions = await Promise.all(Array.from({ length: 20 }, () => ledger.reserve(debt, attempt(), atMost(2))));
    expect(decisions.filter((decision) => decision.verdict === 'allow')).toHaveLength(2);
    expect(decisions.filter((decision) => decision.verdict === 'defer')).toHaveLength(18);
    expect(await ledger.contactsFor(debt)).toHaveLength(2);
    const events = await ledger.forCustomer(debt.customerId);
    expect(events.filter((event) => event.kind === 'contact')).toHaveLength(2);
    expect(events.filter((event) => event.kind === 'deferred')).toHaveLength(18);
  });

  it('counts a retried attempt once and allows it again even when the cap is reached', async () => {
    const debt = { customerId: randomUUID(), reference: 'INV-2' };
    const first = attempt();
    expect(await ledger.reserve(debt, first, atMost(1))).toEqual({ verdict: 'allow' });
    expect(await ledger.reserve(debt, attempt(), atMost(1))).toMatchObject({ verdict: 'defer' });
    const decide = jest.fn(atMost(1));
    expect(await ledger.reserve(debt, { ...first, at: T0 + 60_000 }, decide)).toEqual({ verdict: 'allow' });
    expect(decide).not.toHaveBeenCalled();
    expect(await ledger.contactsFor(debt)).toEqual([{ reminderId: first.reminderId, attempt: 1, channel: 'sms', at: T0 }]);
  });

  it('gives decide the contacts of its debt only, across reminders and channels', async () => {
    const customerId = randomUUID();
    const debt = { customerId, reference: 'INV-3' };
    await ledger.reserve(debt, attempt(undefined, { channel: 'call' }), atMost(5));
    await ledger.reserve({ customerId, reference: 'INV-4' }, attempt(), atMost(5));
    const seen: ContactRecord[][] = [];
    await ledger.reserve(debt, attempt(), (contacts) => {
      seen.push(contacts);
      return { verdict: 'refuse', reason: 'Recipient opted out' };
    });
    expect(seen).toEqual([[expect.objectContaining({ channel: 'call', at: T0 })]]);
  });

  it('records refusals and deferrals with their reasons, newest first per customer', async () => {
    const customerId = randomUUID();
    const debt = { customerId, reference: 'INV-5' };
    await ledger.reserve(debt, attempt(undefined, { at: T0 }), () => ({ verdict: 'refuse', reason: 'Recipient opted out' }));
    await ledger.reserve(debt, attempt(undefined, { at: T0 + 1_000 }), () => ({
      verdict: 'defer',
      until: T0 + 9_000,
      reason: 'outside contact hours',
    }));
    const events = await ledger.forCustomer(customerId);
    expect(events.map((event) => [event.kind, event.reason])).toEqual([
      ['deferred', 'outside contact hours'],
      ['refused', 'Recipient opted out'],
    ]);
    expect(events[0]).toMatchObject({ customerId, reference: 'INV-5', until: new Date(T0 + 9_000), at: new Date(T0 + 1_000) });
    expect(await ledger.contactsFor(debt)).toEqual([]);
    expect(await ledger.forCustomer(customerId, 1)).toHaveLength(1);
  });

  it('marks a contact as a conversation, once, and keeps the other contacts as they were', async () => {
    const debt = { customerId: randomUUID(), reference: 'INV-6' };
    const call = attempt(undefined, { channel: 'call' });
    const text = attempt(undefined, { at: T0 + 5_000 });
    await ledger.reserve(debt, call, atMost(5));
    await ledger.reserve(debt, text, atMost(5));
    expect(await ledger.markConversation(debt, call.reminderId, 1)).toBe(true);
    expect(await ledger.markConversation(debt, call.reminderId, 1)).toBe(true);
    expect(await ledger.markConversation(debt, call.reminderId, 2)).toBe(false);
    const contacts = await ledger.contactsFor(debt);
    expect(contacts).toEqual([
      { reminderId: call.reminderId, attempt: 1, channel: 'call', at: T0, conversation: true },
      { reminderId: text.reminderId, attempt: 1, channel: 'sms', at: T0 + 5_000 },
    ]);
  });

  it('lists each contact made once, with its debt, among the deferrals, newest first', async () => {
    const customerId = randomUUID();
    const debt = { customerId, reference: 'INV-7' };
    const first = attempt(undefined, { at: T0 });
    await ledger.reserve(debt, first, atMost(1));
    await ledger.reserve(debt, { ...first, at: T0 + 1_000 }, atMost(1)); // the same attempt, retried
    await ledger.reserve(debt, attempt(undefined, { at: T0 + 2_000 }), atMost(1));
    await ledger.reserve({ customerId, reference: 'INV-8' }, attempt(undefined, { at: T0 + 3_000, channel: 'call' }), atMost(1));
    const events = await ledger.forCustomer(customerId);
    expect(events.map((event) => [event.kind, event.reference, event.at.getTime() - T0])).toEqual([
      ['contact', 'INV-8', 3_000],
      ['deferred', 'INV-7', 2_000],
      ['contact', 'INV-7', 0],
    ]);
    expect(events[2]).toEqual({
      customerId,
      reference: 'INV-7',
      kind: 'contact',
      reminderId: first.reminderId,
      attempt: 1,
      channel: 'sms',
      at: new Date(T0),
    });
    expect(await ledger.forCustomer(customerId, 2)).toEqual(events.slice(0, 2));
  });

  it('decides on the newest version when the cached copy lags behind it', async () => {
    const debt = { customerId: randomUUID(), reference: 'INV-9' };
    await ledger.reserve(debt, attempt(), atMost(5));
    // Another writer inserted version 2 and has not yet written the copy.
    const newer = [...(await ledger.contactsFor(debt)), { reminderId: 'other', attempt: 1, channel: 'sms' as const, at: T0 + 1_000 }];
    await mongo
      .db()
      .collection('contact_versions')
      .insertOne({ _id: `${debtKey(debt)}#2` as never, ...debt, state: { version: 2, contacts: newer } });
    const seen: number[] = [];
    const capOfTwo = (contacts: ContactRecord[]) => {
      seen.push(contacts.length);
      return atMost(2)(contacts);
    };
    // The copy says one contact, so the cap of two would allow: the insert of version 2 fails, and the newest state defers.
    expect(await ledger.reserve(debt, attempt(), capOfTwo)).toMatchObject({ verdict: 'defer' });
    expect(seen).toEqual([1, 2]);
    // A deferral made on the lagging copy also looks for the newer version before it stands.
    const third = attempt();
    const allowAtTwo = (contacts: ContactRecord[]) => (contacts.length === 2 ? ALLOW : DEFER);
    expect(await ledger.reserve(debt, third, allowAtTwo)).toEqual(ALLOW);
    expect((await ledger.contactsFor(debt)).map((contact) => contact.reminderId)).toEqual([expect.any(String), 'other', third.reminderId]);
  });

  it('keeps debts apart even when a customer id or reference contains the separator', async () => {
    expect(debtKey({ customerId: 'a:b', reference: 'c' })).not.toBe(debtKey({ customerId: 'a', reference: 'b:c' }));
    const customerId = `${randomUUID()}:x`;
    await ledger.reserve({ customerId, reference: 'y' }, attempt(), atMost(1));
    expect(await ledger.reserve({ customerId: customerId.slice(0, -2), reference: 'x:y' }, attempt(), atMost(1))).toEqual({
      verdict: 'allow',
    });
  });
});
