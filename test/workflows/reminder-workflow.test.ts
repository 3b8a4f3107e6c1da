import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ReminderActivities } from '../../src/activities';
import { CALL_DURATION_EXCEEDED_REASON, CALL_TIMEOUT_REASON, SMS_TIMEOUT_REASON } from '../../src/domain/reminder';
import {
  callEventSignal,
  cancelReminderUpdate,
  rescheduleReminderUpdate,
  smsStatusSignal,
  type ReminderSnapshot,
  type ReminderWorkflowInput,
} from '../../src/workflows/definitions';
import { eventually, startStubWorkflowEnv, type StubWorkflowEnv } from '../support/stub-workflow-env';

/**
 * The reminder workflow alone, on the time-skipping test server with stub activities (the
 * samples' way): every timer, and the races between a send and what arrives during it. A
 * workflow change needs no other server to be tested; the e2e suite covers the real parts.
 */
type Activities = ReminderActivities;

/** A promise with its resolve, for activities the test holds open. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('reminderWorkflow (time-skipping, stub activities)', () => {
  let testbed: StubWorkflowEnv;
  let env: TestWorkflowEnvironment;
  /** What each test's stubs do; the worker's activities delegate to it. */
  let stubs: Activities;
  let calls: {
    sendSms: Parameters<Activities['sendSms']>[0][];
    dispatchCall: Parameters<Activities['dispatchCall']>[0][];
    saved: ReminderSnapshot[];
    sentAt: number[];
  };

  beforeAll(async () => {
    testbed = await startStubWorkflowEnv('workflow', {} as Activities);
    ({ env } = testbed);
  });
  afterAll(() => testbed?.stop());
  afterEach(() => testbed.terminateTracked());

  beforeEach(() => {
    calls = { sendSms: [], dispatchCall: [], saved: [], sentAt: [] };
    stubs = {
      sendSms: async (request) => {
        calls.sendSms.push(request);
        calls.sentAt.push(await env.currentTimeMs());
        return { messageSid: `SM-${request.attempt}`, recorded: true };
      },
      dispatchCall: async (request) => {
        calls.dispatchCall.push(request);
        calls.sentAt.push(await env.currentTimeMs());
        return { externalId: `room-${request.attempt}`, recorded: true };
      },
      saveProjection: (snapshot) => {
        calls.saved.push(snapshot);
        return Promise.resolve();
      },
      saveInvoiceProjection: () => Promise.resolve(),
    };
    testbed.stubs = stubs;
  });

  const start = (overrides: Partial<ReminderWorkflowInput> = {}) => testbed.startReminder({ maxAttempts: 2, ...overrides });
  const minutes = (ms: number) => Math.round(ms / 60_000);

  it('SMS delivered: the send records the dispatch, and the workflow writes only the end', async () => {
    const handle = await start();
    await handle.signal(smsStatusSignal, { messageSid: 'SM-1', messageStatus: 'delivered', attempt: 1 });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', attempt: 1, deliveryStatus: 'delivered' });
    expect(calls.sendSms[0]?.record).toMatchObject({ status: 'in_progress', attempt: 1, version: 2 });
    expect(calls.saved.map(({ status, version }) => ({ status, version }))).toEqual([{ status: 'completed', version: 3 }]);
  });

  it('a callback that arrives before the send returns is applied once the attempt is dispatched', async () => {
    const sending = deferred();
    const release = deferred();
    stubs.sendSms = async () => {
      sending.resolve();
      await release.promise;
      return { messageSid: 'SM-1', recorded: true };
    };
    const handle = await start();
    await sending.promise;
    await handle.signal(smsStatusSignal, { messageSid: 'SM-1', messageStatus: 'delivered', attempt: 1 });
    release.resolve();
    expect(await handle.result()).toMatchObject({ status: 'completed', attempt: 1 });
  });

  it('a cancel during the send wins, and the final write outranks the record the send made', async () => {
    const sending = deferred();
    const release = deferred();
    let record: ReminderSnapshot | undefined;
    stubs.sendSms = async (request) => {
      record = request.record;
      sending.resolve();
      await release.promise;
      return { messageSid: 'SM-1', recorded: true };
    };
    const handle = await start();
    await sending.promise;
    expect(await handle.executeUpdate(cancelReminderUpdate, { args: [{ reason: 'paid' }] })).toMatchObject({ status: 'cancelled' });
    release.resolve();
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'cancelled', skipReason: 'paid' });
    expect(record).toMatchObject({ status: 'in_progress', version: 2 });
    expect(calls.saved.at(-1)).toMatchObject({ status: 'cancelled' });
    expect(calls.saved.at(-1)!.version).toBeGreaterThan(record!.version);
  });

  it('an operator who reschedules during the send moves the version past the record, so the next write lands', async () => {
    const sending = deferred();
    const release = deferred();
    stubs.sendSms = async (request) => {
      calls.sendSms.push(request);
      sending.resolve();
      await release.promise;
      return { messageSid: 'SM-1', recorded: true };
    };
    const handle = await start();
    await sending.promise;
    await handle.executeUpdate(rescheduleReminderUpdate, {
      args: [{ at: new Date((await env.currentTimeMs()) + 3_600_000).toISOString() }],
    });
    release.resolve();
    // The dispatch is applied at a version the record did not use, so the workflow must write
    // it itself; had it taken the record for its own state, no in_progress write would come.
    const written = await eventually(() => calls.saved.find((snapshot) => snapshot.status === 'in_progress'));
    expect(written.version).toBeGreaterThan(calls.sendSms[0]!.record.version);
    await handle.signal(smsStatusSignal, { messageSid: 'SM-1', messageStatus: 'delivered', attempt: 1 });
    expect(await handle.result()).toMatchObject({ status: 'completed' });
  });

  it('waits on the due timer until sendAt', async () => {
    const sent = deferred();
    const send = stubs.sendSms.bind(stubs);
    stubs.sendSms = async (request) => {
      const answer = await send(request);
      sent.resolve();
      return answer;
    };
    const sendAt = (await env.currentTimeMs()) + 2 * 3_600_000;
    const handle = await start({ sendAt: new Date(sendAt).toISOString() });
    await env.sleep('1 hour');
    expect(calls.sendSms).toHaveLength(0);
    await env.sleep('1 hour');
    await sent.promise;
    await handle.signal(smsStatusSignal, { messageSid: 'SM-1', messageStatus: 'delivered', attempt: 1 });
    expect(await handle.result()).toMatchObject({ status: 'completed', attempt: 1 });
    expect(calls.sentAt[0]).toBeGreaterThanOrEqual(sendAt);
  });

  it('an SMS nobody reports on times out after 10 minutes and is retried after the backoff', async () => {
    const handle = await start();
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'failed', attempt: 2, skipReason: SMS_TIMEOUT_REASON });
    expect(calls.sendSms.map((request) => request.attempt)).toEqual([1, 2]);
    expect(minutes(calls.sentAt[1]! - calls.sentAt[0]!)).toBe(10 + 15);
  });

  it(`a call with no agent report fails with "${CALL_TIMEOUT_REASON}"`, async () => {
    const handle = await start({ channel: 'call', maxAttempts: 1 });
    expect(await handle.result()).toMatchObject({ status: 'failed', attempt: 1, skipReason: CALL_TIMEOUT_REASON });
    expect(calls.dispatchCall).toHaveLength(1);
  });

  it('an answered call that never completes ends after the maximum call duration', async () => {
    const dispatched = deferred();
    stubs.dispatchCall = async (request) => {
      calls.sentAt.push(await env.currentTimeMs());
      dispatched.resolve();
      return { externalId: `room-${request.attempt}`, recorded: true };
    };
    const handle = await start({ channel: 'call', maxAttempts: 1 });
    await dispatched.promise;
    await handle.signal(callEventSignal, { eventType: 'call_answered', attempt: 1 });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'failed', skipReason: CALL_DURATION_EXCEEDED_REASON });
    expect(calls.saved.map((snapshot) => snapshot.status)).toEqual(['processing', 'failed']);
  });

  it('a report for another attempt is ignored', async () => {
    const handle = await start({ maxAttempts: 1 });
    await handle.signal(smsStatusSignal, { messageSid: 'SM-0', messageStatus: 'delivered', attempt: 0 });
    expect(await handle.result()).toMatchObject({ status: 'failed', skipReason: SMS_TIMEOUT_REASON });
  });
});
