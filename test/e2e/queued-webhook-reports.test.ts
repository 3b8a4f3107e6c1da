import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { ReminderService } from '../../src/api/reminder-service';
import { ReportRedelivery } from '../../src/api/report-redelivery';
import { PendingReports } from '../../src/store/pending-reports';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';
import { ReminderHarness, reminderRequest, TEST_SECRETS } from '../support/reminder-harness';
import { postCallEvent, postTwilioStatus } from '../support/signed-requests';
import { testStack } from '../support/stack';
import { startTcpGate, type TcpGate } from '../support/tcp-gate';
import { serveTestApi, type TestApi } from '../support/test-api';

/**
 * Issue 16: while Temporal could not take signals, Twilio status callbacks got 503 and were
 * never sent again, so delivered reminders timed out and were texted twice. A second API
 * instance reaches Temporal through a gate the test shuts (the shared dev server stays up for
 * the harness and the worker): its webhooks store the reports and answer 202, and its
 * redelivery loop signals them once the gate opens.
 */
describe('webhook reports while Temporal is unreachable', () => {
  let harness: ReminderHarness;
  let gate: TcpGate;
  let connection: Connection;
  let api: TestApi;
  let redelivery: ReportRedelivery;
  let baseUrl: string;
  let pending: PendingReports;

  beforeAll(async () => {
    harness = await ReminderHarness.start();
    gate = await startTcpGate(testStack().temporalAddress);
    connection = await Connection.connect({ address: gate.address });
    pending = new PendingReports(harness.db);
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const service = new ReminderService({
      temporal: new Client({ connection }),
      reminders: harness.store,
      taskQueue: 'unused-this-instance-starts-nothing',
      timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' },
      defaultMaxAttempts: 3,
      signalTimeoutMs: 2_000,
      pendingReports: pending,
      logger,
    });
    api = await serveTestApi(service, { logger });
    baseUrl = api.baseUrl;
    redelivery = new ReportRedelivery({ reports: pending, service, intervalMs: 200, logger });
    redelivery.start();
  });

  afterAll(async () => {
    await redelivery?.stop();
    await api?.close();
    await connection?.close();
    await gate?.close();
    await harness?.stop();
  });

  it('stores a Twilio status and a call event (202), and signals them once Temporal answers again', async () => {
    const sms = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: customer('queued-sms', SCRIPTED_NUMBERS.SMS_NO_CALLBACK) }),
    );
    const call = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ channel: 'call', customer: customer('queued-call', SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT) }),
    );
    expect([sms.status, call.status]).toEqual([201, 201]);
    const smsId = sms.body.reminderId;
    const callId = call.body.reminderId;
    await harness.waitForReminder(smsId, (reminder) => reminder.status === 'in_progress');
    await harness.waitForReminder(callId, (reminder) => reminder.status === 'in_progress');
    const message = harness.twilio.messages.find(
      (sent) => sent.to === SCRIPTED_NUMBERS.SMS_NO_CALLBACK && sent.statusCallback?.includes(smsId),
    );
    const callback = new URL(message!.statusCallback!);

    gate.shut();
    const status = await postTwilioStatus(baseUrl, callback.pathname + callback.search, {
      MessageSid: message!.sid,
      MessageStatus: 'delivered',
      AccountSid: TEST_SECRETS.twilioAccountSid,
    });
    const answered = await postCallEvent(baseUrl, { reminder_id: callId, event_type: 'call_answered', attempt: 1 });

    expect(status).toMatchObject({ status: 202, body: { received: true, outcome: 'queued' } });
    expect(status.body && 'reason' in status.body && status.body.reason).toMatch(/^Temporal is unavailable; the report is stored/);
    expect(answered).toMatchObject({ status: 202, body: { received: true, outcome: 'queued' } });
    expect(await pending.list()).toMatchObject([
      { reminderId: smsId, kind: 'smsStatus', signal: { messageSid: message!.sid, messageStatus: 'delivered', attempt: 1 } },
      { reminderId: callId, kind: 'callEvent', signal: { eventType: 'call_answered', attempt: 1 } },
    ]);
    // Still undecided: the reports are waiting in MongoDB, not lost, and not yet applied.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await harness.api('GET', `/api/reminders/${smsId}`)).body.status).toBe('in_progress');
    expect(await pending.list()).toHaveLength(2);

    gate.open();
    await harness.waitForReminder(smsId, (reminder) => reminder.status === 'completed', 60_000);
    await harness.waitForReminder(callId, (reminder) => reminder.status === 'processing', 60_000);
    expect(await pending.list()).toEqual([]);
    expect(harness.twilio.messages.filter((sent) => sent.to === SCRIPTED_NUMBERS.SMS_NO_CALLBACK)).toHaveLength(1);
    await harness.api('POST', `/api/reminders/${callId}/cancel`, { reason: 'test over' });
  });

  it('drops a stored report whose workflow does not exist', async () => {
    await pending.add({ reminderId: 'never-started', kind: 'callEvent', signal: { eventType: 'call_failed', attempt: 1 } });
    const deadline = Date.now() + 30_000;
    while ((await pending.list()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await pending.list()).toEqual([]);
  });
});

const customer = (id: string, phone: string) => ({ id, name: 'Queued Report', phone, timezone: 'Europe/London' });
