import type { ReminderActivities } from '../../src/activities';
import {
  callEventSignal,
  reminderQuery,
  reminderWorkflowId,
  smsStatusSignal,
  stopReminderSignal,
  type ReminderSnapshot,
  type ReminderWorkflowInput,
} from '../../src/workflows/definitions';
import { eventually, startStubWorkflowEnv, type StubWorkflowEnv } from '../support/stub-workflow-env';

/**
 * The invoice plan's stop signal, in each status a reminder can be in when it arrives: a
 * waiting reminder ends cancelled with the signal's reason; an attempt going out or out runs
 * to its end, and nothing follows it.
 */
const REASON = 'Invoice paid';

describe('reminderWorkflow: the stop signal', () => {
  let system: StubWorkflowEnv;
  let sent: Parameters<ReminderActivities['sendSms']>[0][];
  let dispatched: Parameters<ReminderActivities['dispatchCall']>[0][];
  let saved: ReminderSnapshot[];
  /** Runs inside each send, before it returns. */
  let duringSend: (reminderId: string, attempt: number) => Promise<void>;

  beforeAll(async () => {
    system = await startStubWorkflowEnv('reminder-stop', {
      sendSms: async (request) => {
        sent.push(request);
        await duringSend(request.reminderId, request.attempt);
        return { messageSid: `SM-${request.attempt}`, recorded: true };
      },
      dispatchCall: async (request) => {
        dispatched.push(request);
        await duringSend(request.reminderId, request.attempt);
        return { externalId: `room-${request.attempt}`, recorded: true };
      },
      saveProjection: (snapshot) => {
        saved.push(snapshot);
        return Promise.resolve();
      },
      saveInvoiceProjection: () => Promise.resolve(),
    });
  });
  afterAll(() => system?.stop());
  beforeEach(() => {
    sent = [];
    dispatched = [];
    saved = [];
    duringSend = () => Promise.resolve();
  });
  afterEach(() => system.terminateTracked());

  const start = (overrides: Partial<ReminderWorkflowInput> = {}) => system.startReminder(overrides);
  const inAnHour = async () => new Date((await system.env.currentTimeMs()) + 3_600_000).toISOString();
  const handleOf = (reminderId: string) => system.env.client.workflow.getHandle(reminderWorkflowId(reminderId));

  it('pending, waiting for its sendAt: ends cancelled with the reason at once, nothing sent', async () => {
    const handle = await start({ sendAt: await inAnHour() });
    await eventually(async () => ((await handle.query(reminderQuery)).status === 'pending' ? true : undefined));
    await handle.signal(stopReminderSignal, { reason: REASON });
    expect(await handle.result()).toMatchObject({ status: 'cancelled', skipReason: REASON, attempt: 0 });
    expect(sent).toHaveLength(0);
  });

  it('failed, in the backoff between attempts: ends cancelled with the reason, no retry', async () => {
    duringSend = (reminderId, attempt) =>
      handleOf(reminderId).signal(smsStatusSignal, {
        messageSid: `SM-${attempt}`,
        messageStatus: 'undelivered',
        errorCode: '30003',
        attempt,
      });
    const handle = await start();
    await eventually(async () => {
      const { status, attempt } = await handle.query(reminderQuery);
      return status === 'pending' && attempt === 1 ? true : undefined;
    });
    await handle.signal(stopReminderSignal, { reason: REASON });
    expect(await handle.result()).toMatchObject({ status: 'cancelled', skipReason: REASON, attempt: 1 });
    expect(sent).toHaveLength(1);
  });

  it('in_progress: the SMS out is not interrupted and ends as it ends (delivered: completed)', async () => {
    duringSend = async (reminderId, attempt) => {
      await handleOf(reminderId).signal(stopReminderSignal, { reason: REASON }); // while the send is under way
      await handleOf(reminderId).signal(smsStatusSignal, { messageSid: `SM-${attempt}`, messageStatus: 'delivered', attempt });
    };
    const handle = await start();
    expect(await handle.result()).toMatchObject({ status: 'completed', attempt: 1, deliveryStatus: 'delivered' });
  });

  it('in_progress: an attempt out that then fails is not retried; the reminder ends cancelled with the reason', async () => {
    const handle = await start();
    await eventually(() => (sent.length === 1 ? true : undefined));
    await eventually(async () => ((await handle.query(reminderQuery)).status === 'in_progress' ? true : undefined));
    await handle.signal(stopReminderSignal, { reason: REASON });
    await handle.signal(smsStatusSignal, { messageSid: 'SM-1', messageStatus: 'undelivered', attempt: 1 });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'cancelled', skipReason: REASON, attempt: 1, deliveryStatus: 'undelivered' });
    expect(result.history.map(({ status }) => status)).toEqual(['pending', 'in_progress', 'failed', 'cancelled']);
    expect(sent).toHaveLength(1);
  });

  it('processing: the call goes on and its outcome stands', async () => {
    const handle = await start({ channel: 'call' });
    await eventually(() => (dispatched.length === 1 ? true : undefined));
    await handle.signal(callEventSignal, { eventType: 'call_answered', attempt: 1 });
    await eventually(async () => ((await handle.query(reminderQuery)).status === 'processing' ? true : undefined));
    await handle.signal(stopReminderSignal, { reason: REASON });
    await handle.signal(callEventSignal, {
      eventType: 'call_completed',
      attempt: 1,
      outcome: { connected: true, duration: 50, customer_response: 'already_paid' },
    });
    expect(await handle.result()).toMatchObject({ status: 'completed', callOutcome: { customer_response: 'already_paid' } });
  });

  it('the last attempt out that fails ends failed, as it would have: the stop changes nothing a terminal reminder says', async () => {
    const handle = await start({ maxAttempts: 1 });
    await eventually(async () => ((await handle.query(reminderQuery)).status === 'in_progress' ? true : undefined));
    await handle.signal(stopReminderSignal, { reason: REASON });
    await handle.signal(smsStatusSignal, { messageSid: 'SM-1', messageStatus: 'failed', attempt: 1 });
    expect(await handle.result()).toMatchObject({ status: 'failed', skipReason: 'SMS failed' });
  });

  it('a plan step (input.invoice) writes its projection once before it waits; a reminder from the API does not', async () => {
    const step = await start({ sendAt: await inAnHour(), invoice: { reference: 'INV-1' } });
    const first = await eventually(() => saved.find((snapshot) => snapshot.reminderId === step.workflowId.replace('reminder-', '')));
    expect(first).toMatchObject({ status: 'pending', version: 1, invoice: { reference: 'INV-1' } });

    const single = await start({ sendAt: await inAnHour() });
    await eventually(async () => ((await single.query(reminderQuery)).status === 'pending' ? true : undefined));
    expect(saved.filter((snapshot) => snapshot.reminderId === single.workflowId.replace('reminder-', ''))).toEqual([]);
  });
});
