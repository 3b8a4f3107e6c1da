// Runs every path of the reminder workflow against the real dev server (and the timer paths on
// the time-skipping server) and saves each history for the replay tests. `npm run histories:capture`
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SCRIPTED_NUMBERS } from '../../../dev/standins/scripted-numbers';
import { reminderWorkflowId, rescheduleReminderUpdate, retryNowUpdate } from '../../../src/workflows/definitions';
import { ReminderHarness, reminderRequest } from '../../support/reminder-harness';
import { registerSearchAttributes } from '../../support/search-attributes';
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
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testStack().timeSkippingServer } },
    });
    await registerSearchAttributes(env.connection);
    harness = await ReminderHarness.start({ temporal: { client: env.client, nativeConnection: env.nativeConnection } });
  });
  afterAll(async () => {
    await harness?.stop();
    await env?.teardown();
  });

  const capture = async (name: string, request: Record<string, unknown>) => {
    const created = await harness.api('POST', '/api/reminders', request);
    await saveHistory(env.client, env.address, reminderWorkflowId(created.body.reminderId), name);
  };

  it('call-timeout-max-attempts', () => capture('call-timeout-max-attempts', call(SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT)));
  it('sms-timeout', () => capture('sms-timeout', sms(SCRIPTED_NUMBERS.SMS_NO_CALLBACK, { maxAttempts: 1 })));
});
