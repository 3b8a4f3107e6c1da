import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { SeenWebhookIds } from '../../src/store/seen-webhook-ids';
import { testStack } from '../support/stack';

describe('seen webhook-ids in MongoDB (FerretDB)', () => {
  let mongo: MongoClient;
  let seen: SeenWebhookIds;
  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('seen'), { retryWrites: false });
    seen = new SeenWebhookIds(mongo.db());
  });
  afterAll(() => mongo?.close());

  it('is true the first time an id is seen and false every time after', async () => {
    const id = `msg_${randomUUID()}`;
    expect(await seen.firstTime(id)).toBe(true);
    expect(await seen.firstTime(id)).toBe(false);
    expect(await seen.firstTime(id)).toBe(false);
    expect(await seen.firstTime(`msg_${randomUUID()}`)).toBe(true);
  });

  it('lets exactly one of several concurrent deliveries of one id through', async () => {
    const id = `msg_${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => seen.firstTime(id)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('stores the id as _id with the time it was seen', async () => {
    const id = `msg_${randomUUID()}`;
    const at = new Date('2026-11-24T10:00:00.000Z');
    await seen.firstTime(id, at);
    expect(
      await mongo
        .db()
        .collection(COLLECTIONS.webhookDeliveries)
        .findOne({ _id: id as never }),
    ).toEqual({ _id: id, seenAt: at });
  });

  it('forget() lets an id be processed again (for a route whose processing failed)', async () => {
    const id = `msg_${randomUUID()}`;
    expect(await seen.firstTime(id)).toBe(true);
    await seen.forget(id);
    expect(await seen.firstTime(id)).toBe(true);
    expect(await seen.firstTime(id)).toBe(false);
  });

  it('forgetOlderThan removes only entries seen before the cutoff', async () => {
    const db = await MongoClient.connect(testStack().mongodbUri('seen'), { retryWrites: false });
    try {
      const store = new SeenWebhookIds(db.db());
      const cutoff = new Date('2026-11-24T10:00:00.000Z');
      const older = ['msg_old_1', 'msg_old_2'];
      const kept = ['msg_at_cutoff', 'msg_new'];
      await store.firstTime(older[0]!, new Date(cutoff.getTime() - 3_600_000));
      await store.firstTime(older[1]!, new Date(cutoff.getTime() - 1));
      await store.firstTime(kept[0]!, cutoff);
      await store.firstTime(kept[1]!, new Date(cutoff.getTime() + 60_000));

      expect(await store.forgetOlderThan(cutoff)).toBe(2);
      const left = await db.db().collection(COLLECTIONS.webhookDeliveries).find({}).sort({ _id: 1 }).toArray();
      expect(left.map((entry) => entry._id)).toEqual([...kept].sort());
      // Forgotten ids are new again; kept ones are still duplicates.
      expect(await store.firstTime(older[0]!)).toBe(true);
      expect(await store.firstTime(kept[1]!)).toBe(false);
      expect(await store.forgetOlderThan(cutoff)).toBe(0);
    } finally {
      await db.close();
    }
  });
});
