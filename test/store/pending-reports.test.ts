import { MongoClient } from 'mongodb';
import { PendingReports, REPORT_LEASE_MS, type PendingReport } from '../../src/store/pending-reports';
import { testStack } from '../support/stack';

const delivered = (reminderId: string): PendingReport => ({
  reminderId,
  kind: 'smsStatus',
  signal: { messageSid: `SM-${reminderId}`, messageStatus: 'delivered', attempt: 1 },
});
const answered = (reminderId: string): PendingReport => ({
  reminderId,
  kind: 'callEvent',
  signal: { eventType: 'call_answered', attempt: 2 },
});

describe('the pending reports queue in MongoDB (FerretDB)', () => {
  let mongo: MongoClient;
  let reports: PendingReports;
  beforeEach(async () => {
    // A database per test: each starts with an empty queue.
    mongo = await MongoClient.connect(testStack().mongodbUri('pending'), { retryWrites: false });
    reports = new PendingReports(mongo.db());
  });
  afterEach(async () => {
    await mongo.db().dropDatabase();
    await mongo.close();
  });

  it('hands out reports oldest first, each with its signal as stored', async () => {
    const t0 = new Date('2026-12-02T03:00:00.000Z');
    await reports.add(answered('second'), new Date(t0.getTime() + 1_000));
    await reports.add(delivered('first'), t0);
    await reports.add(delivered('third'), new Date(t0.getTime() + 2_000));
    const now = new Date(t0.getTime() + 5_000);

    const claimed = [await reports.claimNext(now), await reports.claimNext(now), await reports.claimNext(now)];
    expect(claimed.map((report) => report?.reminderId)).toEqual(['first', 'second', 'third']);
    expect(claimed[1]).toMatchObject({ kind: 'callEvent', signal: { eventType: 'call_answered', attempt: 2 }, claims: 1 });
    expect(claimed[0]).toMatchObject({ kind: 'smsStatus', signal: { messageSid: 'SM-first', messageStatus: 'delivered', attempt: 1 } });
    expect(await reports.claimNext(now)).toBeNull();
  });

  it('keeps a claimed report from other claims until its lease ends', async () => {
    const t0 = new Date('2026-12-02T03:00:00.000Z');
    await reports.add(delivered('leased'), t0);
    const first = await reports.claimNext(t0);
    expect(first?.leaseUntil).toEqual(new Date(t0.getTime() + REPORT_LEASE_MS));
    expect(await reports.claimNext(new Date(t0.getTime() + REPORT_LEASE_MS - 1))).toBeNull();
    // The instance that held it died: after the lease another one takes it.
    const again = await reports.claimNext(new Date(t0.getTime() + REPORT_LEASE_MS));
    expect(again).toMatchObject({ _id: first?._id, claims: 2 });
  });

  it('frees a released report at once, and forgets a removed one', async () => {
    const t0 = new Date('2026-12-02T03:00:00.000Z');
    await reports.add(delivered('released'), t0);
    await reports.add(delivered('removed'), new Date(t0.getTime() + 1));
    const released = await reports.claimNext(t0);
    const removed = await reports.claimNext(new Date(t0.getTime() + 1));
    await reports.release(released!._id, t0);
    await reports.remove(removed!._id);

    expect((await reports.claimNext(t0))?.reminderId).toBe('released');
    expect((await reports.list()).map((report) => report.reminderId)).toEqual(['released']);
  });

  it('leaves no report out when instances claim at the same moment', async () => {
    const t0 = new Date('2026-12-02T03:00:00.000Z');
    for (let index = 0; index < 4; index++) await reports.add(delivered(`r${index}`), new Date(t0.getTime() + index));
    const now = new Date(t0.getTime() + 10);
    // Four instances, each on its own connection, as separate API processes would be.
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => MongoClient.connect(testStack().mongodbUri('unused'), { retryWrites: false })),
    );
    try {
      const queues = instances.map((client) => new PendingReports(client.db(mongo.db().databaseName)));
      const together = await Promise.all(queues.map((queue) => queue.claimNext(now)));
      // FerretDB does not isolate updates: instances claiming in the same millisecond may all
      // take r0 (seen here; the claim token spreads them only sometimes). That copy is
      // harmless, as the workflow ignores a repeated report; what must hold on both servers is
      // that the reports not taken stay free for the next claims.
      const next: string[] = [];
      for (let report = await reports.claimNext(now); report; report = await reports.claimNext(now)) next.push(report.reminderId);
      const claimed = [...together.map((report) => report?.reminderId), ...next].filter(Boolean);
      expect(new Set(claimed)).toEqual(new Set(['r0', 'r1', 'r2', 'r3']));
    } finally {
      await Promise.all(instances.map((client) => client.close()));
    }
  });
});
