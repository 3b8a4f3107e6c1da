// Runs every path of the reminder workflow against the real dev server (and the timer paths on
// the time-skipping server) and saves each history for the replay tests. `npm run histories:capture`
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SCRIPTED_NUMBERS } from '../../../dev/standins/scripted-numbers';
import { reminderWorkflowId, rescheduleReminderUpdate, retryNowUpdate } from '../../../src/workflows/definitions';
import { ReminderHarness, reminderRequest } from '../../support/reminder-harness';
import { startTimeSkippingSystem, testServerClock, type TimeSkippingSystem } from '../../support/time-skipping';
import { testStack } from '../../support/stack';
import { saveHistory } from './save-history';

const sms = (phone: string, extra: Record<string, unknown> = {}) =>
  reminderRequest({ customer: { id: 'capture', name: 'Cap Ture', phone }, ...extra });
const call = (phone: string, extra: Record<string, unknown> = {}) => sms(phone, { channel: 'call', ...extra });

describe('capture reminder histories (dev server)', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start({ simulatedAgent: true, timings: { retryBackoff: '1 second' } });
  });
  afterAll(() => harness?.stop());

  const capture = async (name: string, request: Record<string, unknown>, drive?: (reminderId: string) => Promise<void>) => {
    const created = await harness.api('POST', '/api/reminders', request);
    expect(created.status).toBe(201);
    if (drive) await drive(created.body.reminderId);
    await saveHistory(harness.client, testStack().temporalAddress, reminderWorkflowId(created.body.reminderId), name);
  };

  it('sms-delivered', () => capture('sms-delivered', sms('+14155550501')));
  it('sms-failed-permanent', () => capture('sms-failed-permanent', sms(SCRIPTED_NUMBERS.SMS_FAILED_PERMANENT)));
  it('sms-undelivered-retried', () =>
    capture('sms-undelivered-retried', sms(SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE, { maxAttempts: 2 })));
  it('sms-opted-out', () => capture('sms-opted-out', sms(SCRIPTED_NUMBERS.SMS_OPTED_OUT)));
  it('sms-out-of-order-duplicated', () => {
    harness.twilio.setScript('+14155550502', {
      callbacks: [{ status: 'delivered' }, { status: 'sent' }, { status: 'delivered' }],
      repeat: 2,
    });
    return capture('sms-out-of-order-duplicated', sms('+14155550502'));
  });
  it('sms-callback-before-send-returned', () => {
    harness.twilio.setScript('+14155550503', { callbacks: [{ status: 'sent' }, { status: 'delivered' }], beforeResponse: true });
    return capture('sms-callback-before-send-returned', sms('+14155550503'));
  });
  it('call-completed', () => capture('call-completed', call('+14155550504')));
  it('call-retried-then-completed', () => capture('call-retried-then-completed', call(SCRIPTED_NUMBERS.CALL_RETRIED_THEN_COMPLETED)));
  it('call-failed', () => capture('call-failed', call(SCRIPTED_NUMBERS.CALL_FAILED, { maxAttempts: 1 })));
  it('cancelled-before-send', () =>
    capture('cancelled-before-send', sms('+14155550505', { sendAt: new Date(Date.now() + 3_600_000).toISOString() }), async (id) => {
      expect((await harness.api('POST', `/api/reminders/${id}/cancel`, { reason: 'paid already' })).status).toBe(200);
    }));
  it('rescheduled-then-retried-now', () =>
    capture('rescheduled-then-retried-now', sms('+14155550506', { sendAt: new Date(Date.now() + 3_600_000).toISOString() }), async (id) => {
      const handle = harness.client.workflow.getHandle(reminderWorkflowId(id));
      await handle.executeUpdate(rescheduleReminderUpdate, { args: [{ at: new Date(Date.now() + 7_200_000).toISOString() }] });
      await handle.executeUpdate(retryNowUpdate);
    }));
});

describe('capture reminder histories (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let harness: ReminderHarness;
  let system: TimeSkippingSystem;
  beforeAll(async () => {
    system = await startTimeSkippingSystem();
    ({ env, harness } = system);
  });
  afterAll(() => system?.stop());

  const capture = async (name: string, request: Record<string, unknown>) => {
    const created = await harness.api('POST', '/api/reminders', request);
    await saveHistory(env.client, env.address, reminderWorkflowId(created.body.reminderId), name);
  };

  it('call-timeout-max-attempts', () => capture('call-timeout-max-attempts', call(SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT)));
  it('sms-timeout', () => capture('sms-timeout', sms(SCRIPTED_NUMBERS.SMS_NO_CALLBACK, { maxAttempts: 1 })));
});

describe('capture reminder histories (time-skipping server, US contact profile)', () => {
  let env: TestWorkflowEnvironment;
  let harness: ReminderHarness;
  let system: TimeSkippingSystem;
  let nextLocal: ReturnType<typeof testServerClock>['nextLocal'];
  let skipTo: ReturnType<typeof testServerClock>['skipTo'];
  beforeAll(async () => {
    system = await startTimeSkippingSystem({ contactProfile: 'US' });
    ({ env, harness } = system);
    ({ nextLocal, skipTo } = testServerClock(env));
  });
  afterAll(() => system?.stop());

  const create = async (request: Record<string, unknown>): Promise<string> => {
    const created = await harness.api('POST', '/api/reminders', request);
    expect(created.status).toBe(201);
    return created.body.reminderId;
  };
  const cancel = async (id: string) =>
    expect((await harness.api('POST', `/api/reminders/${id}/cancel`, { reason: 'captured' })).status).toBe(200);
  const save = (id: string, name: string) => saveHistory(env.client, env.address, reminderWorkflowId(id), name);
  const inNewYork = (id: string, phone: string, extra: Record<string, unknown> = {}) =>
    sms(phone, { customer: { id, name: 'Cap Ture', phone, timezone: 'America/New_York' }, ...extra });

  it('deferred-by-window', async () => {
    const sendAt = await nextLocal('America/New_York', 23);
    const id = await create(inNewYork('capture-window', '+12125550191', { sendAt: sendAt.toISO() }));
    await skipTo(sendAt);
    await harness.waitForReminder(id, (reminder) => reminder.waitingReason !== undefined);
    await cancel(id);
    await save(id, 'deferred-by-window');
  });

  it('deferred-by-cap', async () => {
    const sendAt = await nextLocal('America/New_York', 12);
    const request = (id: string) =>
      sms('+16175550192', {
        customer: {
          id: 'capture-cap',
          name: 'Cap Ture',
          phone: '+16175550192',
          timezone: 'America/New_York',
          region: { country: 'US', subdivision: 'US-MA' },
        },
        payment: { amount: 10, currency: 'USD', dueDate: '2026-12-01', reference: `INV-CAP-${id}` },
        sendAt: sendAt.toISO(),
      });
    const ids = [await create(request('1')), await create(request('1')), await create(request('1'))];
    await skipTo(sendAt);
    const reminders = await Promise.all(
      ids.map((id) => harness.waitForReminder(id, (r) => r.status !== 'pending' || r.waitingReason !== undefined)),
    );
    const deferred = reminders.find((reminder) => reminder.status === 'pending');
    expect(deferred).toBeDefined();
    await Promise.all(ids.map((id) => harness.api('POST', `/api/reminders/${id}/cancel`, { reason: 'captured' })));
    await save(deferred!.reminderId, 'deferred-by-cap');
  });

  it('refused-opted-out', async () => {
    await harness.consents.optOut('+12125550193', { source: 'api', detail: 'capture' });
    const sendAt = await nextLocal('America/New_York', 12);
    const id = await create(inNewYork('capture-opted-out', '+12125550193', { sendAt: sendAt.toISO() }));
    await skipTo(sendAt);
    await save(id, 'refused-opted-out');
  });

  it('opted-out-mid-backoff', async () => {
    // +1 500 numbers may be in any NANP zone: 23:00 UTC is inside all their hours.
    const sendAt = await nextLocal('UTC', 23);
    const phone = SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE;
    const id = await create(
      sms(phone, { customer: { id: 'capture-backoff', name: 'Cap Ture', phone, timezone: 'America/Los_Angeles' }, sendAt: sendAt.toISO() }),
    );
    await skipTo(sendAt);
    await harness.waitForReminder(id, (reminder) => reminder.status === 'pending' && reminder.attempt === 1);
    await harness.consents.optOut(phone, { source: 'twilio-inbound', detail: 'STOP' });
    await save(id, 'opted-out-mid-backoff');
  });
});
