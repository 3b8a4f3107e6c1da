import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { MongoClient } from 'mongodb';
import { createDispatchRecorder } from '../../src/activities/dispatch-record';
import type { ReminderSnapshot } from '../../src/workflows/definitions';
import { ReminderStore } from '../../src/store/reminder-store';
import { reminderProjection } from '../support/projection-fixture';
import { testStack } from '../support/stack';

const dispatched = (reminderId: string, version: number): ReminderSnapshot =>
  reminderProjection(reminderId, {
    status: 'in_progress',
    history: [
      { status: 'pending', attempt: 0, at: '2026-11-24T10:00:00.000Z' },
      { status: 'in_progress', attempt: 1, at: '2026-11-24T10:00:01.000Z' },
    ],
    version,
    externalId: '',
  });

describe('the dispatch record written by the delivery activities', () => {
  let mongo: MongoClient;
  let store: ReminderStore;
  const record = (recorder: ReturnType<typeof createDispatchRecorder>, ...args: Parameters<ReturnType<typeof createDispatchRecorder>>) =>
    new MockActivityEnvironment().run(recorder, ...args);

  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('dispatch_record'), { retryWrites: false });
    store = new ReminderStore(mongo.db());
  });
  afterAll(() => mongo?.close());

  it('writes the record with the provider id filled in', async () => {
    const reminderId = randomUUID();
    expect(await record(createDispatchRecorder(store), dispatched(reminderId, 2), 'SMabc')).toBe(true);
    expect(await store.findById(reminderId)).toMatchObject({ status: 'in_progress', externalId: 'SMabc', version: 2 });
  });

  it('does not move a newer projection back (a retried send records again, late)', async () => {
    const reminderId = randomUUID();
    await store.save({ ...dispatched(reminderId, 3), status: 'completed', externalId: 'SMabc' });
    expect(await record(createDispatchRecorder(store), dispatched(reminderId, 2), 'SMabc')).toBe(true);
    expect(await store.findById(reminderId)).toMatchObject({ status: 'completed', version: 3 });
  });

  it('answers false instead of failing the send when MongoDB is unreachable, so the workflow writes it', async () => {
    const nowhere = new MongoClient('mongodb://127.0.0.1:9/nowhere', { serverSelectionTimeoutMS: 300, retryWrites: false });
    try {
      expect(await record(createDispatchRecorder(new ReminderStore(nowhere.db())), dispatched(randomUUID(), 2), 'SMabc')).toBe(false);
    } finally {
      await nowhere.close();
    }
  });
});
