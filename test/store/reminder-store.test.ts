import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { ReminderStore } from '../../src/store/reminder-store';
import type { ReminderSnapshot } from '../../src/workflows/definitions';
import { reminderProjection } from '../support/projection-fixture';
import { testStack } from '../support/stack';

function snapshot(reminderId: string, version: number, status: ReminderSnapshot['status']): ReminderSnapshot {
  return reminderProjection(reminderId, {
    status,
    history: [{ status, attempt: 1, at: '2026-11-24T10:00:0' + version + '.000Z' }],
    version,
    ...(status === 'in_progress' ? { externalId: 'SM1' } : {}),
  });
}

describe('the reminders collection in MongoDB (FerretDB)', () => {
  let mongo: MongoClient;
  let store: ReminderStore;
  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('store'), { retryWrites: false });
    store = new ReminderStore(mongo.db());
    await store.ensureIndexes();
  });
  afterAll(() => mongo?.close());

  it('creates its indexes idempotently', async () => {
    await store.ensureIndexes();
    const names = (await mongo.db().collection(COLLECTIONS.reminders).indexes()).map((index) => index.name);
    expect(names).toEqual(
      expect.arrayContaining(['state_created', 'state_status', 'state_channel', 'state_customer', 'state_external_id']),
    );
  });

  it('never lets a late or retried write overwrite a newer state', async () => {
    const id = randomUUID();
    const at = new Date('2026-11-24T10:00:10.000Z');
    expect(await store.save(snapshot(id, 1, 'pending'), at)).toBe('written');
    expect(await store.save(snapshot(id, 3, 'completed'), at)).toBe('written');
    expect(await store.save(snapshot(id, 2, 'in_progress'))).toBe('stale');
    expect(await store.save(snapshot(id, 3, 'completed'), at)).toBe('stale');
    // Versions compare as numbers, not as the strings or digits they print as.
    expect(await store.save(snapshot(id, 10, 'completed'), at)).toBe('written');
    expect(await store.save(snapshot(id, 9, 'pending'))).toBe('stale');
    const stored = await store.findById(id);
    expect(stored).toMatchObject({ status: 'completed', version: 10, updatedAt: at });
    expect(stored!.externalId).toBeUndefined();
  });

  it('creates the first snapshot once, and never over a state the workflow already wrote', async () => {
    const id = randomUUID();
    expect(await store.create(snapshot(id, 1, 'pending'))).toBe('written');
    expect(await store.create(snapshot(id, 1, 'pending'))).toBe('exists');
    const stored = await mongo.db().collection<{ _id: string; state: Record<string, unknown> }>(COLLECTIONS.reminders).findOne({ _id: id });
    expect(Object.keys(stored!)).toEqual(['_id', 'state']);
    expect(Object.keys(stored!.state)[0]).toBe('version'); // $max compares it first
    expect(stored!.state).not.toHaveProperty('externalId'); // no nulls for what the state does not have

    const raced = randomUUID();
    await store.save(snapshot(raced, 2, 'in_progress'));
    expect(await store.create(snapshot(raced, 1, 'pending'))).toBe('exists');
    expect(await store.findById(raced)).toMatchObject({ status: 'in_progress', version: 2 });
  });

  it('removes fields the newer state no longer has', async () => {
    const id = randomUUID();
    await store.save(snapshot(id, 1, 'in_progress'));
    expect((await store.findById(id))!.externalId).toBe('SM1');
    await store.save(snapshot(id, 2, 'pending'));
    expect(await store.findById(id)).not.toHaveProperty('externalId');
  });

  it('keeps createdAt from the first write and finds by externalId', async () => {
    const id = randomUUID();
    await store.save(snapshot(id, 1, 'in_progress'));
    const found = await store.findByExternalId('SM1');
    expect(found?.createdAt).toEqual(new Date('2026-11-24T10:00:00.000Z'));
  });
});
