import { MongoClient, MongoServerError } from 'mongodb';
import { testStack } from '../support/stack';

describe('FerretDB through the mongodb driver', () => {
  let client: MongoClient;
  beforeAll(async () => {
    client = await MongoClient.connect(testStack().mongodbUri('smoke'));
  });
  afterAll(() => client?.close());

  it('round-trips a document', async () => {
    const things = client.db().collection<{ _id: string; amount: number; tags: string[]; at: Date }>('things');
    const at = new Date('2026-11-24T10:00:00Z');
    await things.insertOne({ _id: 'a', amount: 12.5, tags: ['x'], at });
    await things.updateOne({ _id: 'a' }, { $inc: { amount: 1 }, $push: { tags: 'y' } });
    expect(await things.findOne({ _id: 'a' })).toEqual({ _id: 'a', amount: 13.5, tags: ['x', 'y'], at });
  });

  it('rejects a duplicate on a unique index', async () => {
    const keyed = client.db().collection('keyed');
    await keyed.createIndex({ key: 1 }, { unique: true });
    await keyed.insertOne({ key: 'k1' });
    const duplicate = await keyed.insertOne({ key: 'k1' }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(MongoServerError);
    expect((duplicate as MongoServerError).code).toBe(11000);
  });
});
