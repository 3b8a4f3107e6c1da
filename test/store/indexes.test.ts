import { randomUUID } from 'node:crypto';
import { MongoClient, type IndexDescription } from 'mongodb';
import { ensureMissingIndexes } from '../../src/store/indexes';
import { testStack } from '../support/stack';

const INDEXES: IndexDescription[] = [
  { key: { status: 1, createdAt: -1 }, name: 'by_status' },
  { key: { customerId: 1 }, name: 'by_customer' },
  { key: { externalId: 1 }, name: 'by_external_id' },
];

describe('ensureMissingIndexes', () => {
  // Two clients, as two workers starting side by side on a fresh database are.
  let first: MongoClient;
  let second: MongoClient;
  beforeAll(async () => {
    const uri = testStack().mongodbUri('indexes');
    first = await MongoClient.connect(uri, { retryWrites: false });
    second = await MongoClient.connect(uri, { retryWrites: false });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('succeeds for two processes creating the same missing indexes at once, and both see them all', async () => {
    // Each round a fresh collection: both list it without the indexes, and both create them.
    for (let round = 0; round < 5; round++) {
      const name = `race_${randomUUID().slice(0, 8)}`;
      await Promise.all([first, second].map((client) => ensureMissingIndexes(client.db().collection(name), INDEXES)));
      const names = (await first.db().collection(name).indexes()).map((index) => index.name);
      expect(names).toEqual(expect.arrayContaining(INDEXES.map((index) => index.name!)));
    }
  });
});
