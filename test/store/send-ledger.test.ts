import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { SendLedger } from '../../src/store/send-ledger';
import { testStack } from '../support/stack';

describe('the SMS send ledger in MongoDB (FerretDB)', () => {
  let mongo: MongoClient;
  let ledger: SendLedger;
  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('ledger'), { retryWrites: false });
    ledger = new SendLedger(mongo.db());
  });
  afterAll(() => mongo?.close());

  it('grants the first claim of an attempt and hands every later claim the first one', async () => {
    const reminderId = randomUUID();
    const claimedAt = new Date('2026-11-24T10:00:00.000Z');
    expect(await ledger.claim(reminderId, 1, claimedAt)).toBeNull();
    const again = await ledger.claim(reminderId, 1, new Date('2026-11-24T10:05:00.000Z'));
    expect(again).toEqual({ _id: `${reminderId}:1`, reminderId, attempt: 1, claimedAt });
  });

  it('lets exactly one of several concurrent claims of one attempt through', async () => {
    const reminderId = randomUUID();
    const claims = await Promise.all(Array.from({ length: 8 }, () => ledger.claim(reminderId, 1)));
    expect(claims.filter((claim) => claim === null)).toHaveLength(1);
  });

  it('gives a retry the MessageSid recorded for its attempt, and each attempt its own claim', async () => {
    const reminderId = randomUUID();
    await ledger.claim(reminderId, 1);
    await ledger.recordMessageSid(reminderId, 1, 'SM-first');
    expect(await ledger.claim(reminderId, 1)).toMatchObject({ messageSid: 'SM-first' });
    expect(await ledger.claim(reminderId, 2)).toBeNull();
    expect(await ledger.countFor(reminderId)).toBe(2);
    expect(await mongo.db().collection(COLLECTIONS.smsSends).countDocuments({ reminderId })).toBe(2);
  });
});
