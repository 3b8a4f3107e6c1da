import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { reminderQuery, reminderWorkflowId } from '../../src/workflows/definitions';
import { signWebhookBody } from '../../src/webhooks/signature';
import { ReminderHarness, reminderRequest, TEST_SECRETS } from '../support/reminder-harness';
import { postCallEvent, postTwilioStatus } from '../support/signed-requests';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

/**
 * Both webhooks against a call reminder and an SMS reminder that are waiting for reports:
 * every rejected request is checked to have changed nothing in the workflow.
 */
describe('webhook verification and validation', () => {
  let harness: ReminderHarness;
  let callId: string;
  let smsId: string;
  const versionOf = async (id: string) => (await harness.client.workflow.getHandle(reminderWorkflowId(id)).query(reminderQuery)).version;

  beforeAll(async () => {
    harness = await ReminderHarness.start();
    // No simulated agent and a number whose SMS gets no callbacks: both stay in progress.
    callId = (
      await harness.api(
        'POST',
        '/api/reminders',
        reminderRequest({ channel: 'call', customer: { id: 'wh', name: 'Hook', phone: SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT } }),
      )
    ).body.reminderId;
    smsId = (
      await harness.api(
        'POST',
        '/api/reminders',
        reminderRequest({ customer: { id: 'wh', name: 'Hook', phone: SCRIPTED_NUMBERS.SMS_NO_CALLBACK } }),
      )
    ).body.reminderId;
    await harness.waitForReminder(callId, (r) => r.status === 'in_progress');
    await harness.waitForReminder(smsId, (r) => r.status === 'in_progress');
  });
  afterAll(async () => {
    for (const id of [callId, smsId]) await harness.api('POST', `/api/reminders/${id}/cancel`).catch(() => undefined);
    await harness?.stop();
  });

  describe('call-status (X-Webhook-Signature)', () => {
    const answered = () => ({ reminder_id: callId, event_type: 'call_answered' });
    const rejected: [string, () => Promise<{ status: number }>, number][] = [
      ['no signature', () => postCallEvent(harness.baseUrl, answered(), { signature: '' }), 401],
      ['a signature made with another secret', () => postCallEvent(harness.baseUrl, answered(), { secret: 'other-secret' }), 401],
      [
        'a truncated signature',
        () =>
          postCallEvent(harness.baseUrl, answered(), {
            signature: signWebhookBody(TEST_SECRETS.webhookSecret, JSON.stringify(answered())).slice(0, 40),
          }),
        401,
      ],
      [
        'a signature of another body',
        () => postCallEvent(harness.baseUrl, answered(), { signature: signWebhookBody(TEST_SECRETS.webhookSecret, '{"reminder_id":"x"}') }),
        401,
      ],
      [
        'a signature over re-serialized JSON',
        () => {
          const body = `{ "reminder_id": "${callId}", "event_type": "call_answered" }`;
          return postCallEvent(harness.baseUrl, undefined, {
            body,
            signature: signWebhookBody(TEST_SECRETS.webhookSecret, JSON.stringify(JSON.parse(body))),
          });
        },
        401,
      ],
      ['malformed JSON', () => postCallEvent(harness.baseUrl, undefined, { body: '{"reminder_id":' }), 400],
      ['an unknown event_type', () => postCallEvent(harness.baseUrl, { reminder_id: callId, event_type: 'call_exploded' }), 400],
      ['a reminder_id that is not a UUID', () => postCallEvent(harness.baseUrl, { reminder_id: 'abc', event_type: 'call_answered' }), 400],
      [
        'an operator in reminder_id',
        () => postCallEvent(harness.baseUrl, { reminder_id: { $ne: null }, event_type: 'call_answered' }),
        400,
      ],
      [
        'call_completed without an outcome',
        () => postCallEvent(harness.baseUrl, { reminder_id: callId, event_type: 'call_completed' }),
        400,
      ],
      ['an unknown reminder', () => postCallEvent(harness.baseUrl, { reminder_id: randomUUID(), event_type: 'call_answered' }), 404],
    ];

    it.each(rejected)('rejects %s and changes nothing', async (_case, send, expected) => {
      const before = await versionOf(callId);
      expect((await send()).status).toBe(expected);
      expect(await versionOf(callId)).toBe(before);
    });

    it('rejects a wrong content type with 415', async () => {
      const body = JSON.stringify(answered());
      const response = await fetch(`${harness.baseUrl}/api/webhooks/call-status`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-webhook-signature': signWebhookBody(TEST_SECRETS.webhookSecret, body) },
        body,
      });
      expect(response.status).toBe(415);
    });

    it('rejects an oversized body with 413', async () => {
      const body = JSON.stringify({ ...answered(), padding: 'x'.repeat(20_000) });
      const response = await postCallEvent(harness.baseUrl, undefined, { body });
      expect(response.status).toBe(413);
    });

    it('accepts a valid signature with the sha256= prefix and signals the workflow', async () => {
      const body = JSON.stringify(answered());
      const response = await postCallEvent(harness.baseUrl, undefined, {
        body,
        signature: `sha256=${signWebhookBody(TEST_SECRETS.webhookSecret, body)}`,
      });
      expect(response).toEqual({ status: 200, body: { received: true, outcome: 'signalled' } });
      await harness.waitForReminder(callId, (r) => r.status === 'processing');
    });
  });

  describe('twilio/status (X-Twilio-Signature)', () => {
    let messageSid: string;
    const path = () => `/api/webhooks/twilio/status?reminderId=${smsId}&attempt=1`;
    const params = (status = 'sent') => ({
      MessageSid: messageSid,
      MessageStatus: status,
      To: SCRIPTED_NUMBERS.SMS_NO_CALLBACK,
      From: TEST_SECRETS.fromNumber,
    });
    beforeAll(async () => {
      messageSid = (await harness.store.findById(smsId))!.externalId!;
    });

    const rejected: [string, () => Promise<{ status: number }>, number][] = [
      ['no signature', () => postTwilioStatus(harness.baseUrl, path(), params(), { signature: '' }), 401],
      ['a signature made with another auth token', () => postTwilioStatus(harness.baseUrl, path(), params(), { authToken: 'other' }), 401],
      [
        'a signature for another URL',
        () =>
          postTwilioStatus(harness.baseUrl, path(), params(), {
            signature: twilio.getExpectedTwilioSignature(TEST_SECRETS.twilioAuthToken, `${harness.baseUrl}/elsewhere`, params()),
          }),
        401,
      ],
      [
        'a signature for other parameters',
        () =>
          postTwilioStatus(harness.baseUrl, path(), params(), {
            signature: twilio.getExpectedTwilioSignature(TEST_SECRETS.twilioAuthToken, harness.baseUrl + path(), params('delivered')),
          }),
        401,
      ],
      ['a MessageSid that is not a SID', () => postTwilioStatus(harness.baseUrl, path(), { ...params(), MessageSid: 'x' }), 400],
      [
        'a reminderId in the URL that is not a UUID',
        () => postTwilioStatus(harness.baseUrl, '/api/webhooks/twilio/status?reminderId=abc', params()),
        400,
      ],
      [
        'a message no reminder sent',
        () => postTwilioStatus(harness.baseUrl, '/api/webhooks/twilio/status', { ...params(), MessageSid: `SM${'0'.repeat(32)}` }),
        404,
      ],
    ];

    it.each(rejected)('rejects %s and changes nothing', async (_case, send, expected) => {
      const before = await versionOf(smsId);
      expect((await send()).status).toBe(expected);
      expect(await versionOf(smsId)).toBe(before);
    });

    it('ignores a status it does not track, safely', async () => {
      const before = await versionOf(smsId);
      const response = await postTwilioStatus(harness.baseUrl, path(), params('read'));
      expect(response).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
      expect(await versionOf(smsId)).toBe(before);
    });

    it('acknowledges an in-transit status without waking the workflow', async () => {
      const before = await versionOf(smsId);
      const response = await postTwilioStatus(harness.baseUrl, path(), params('sent'));
      expect(response).toMatchObject({ status: 200, body: { outcome: 'acknowledged' } });
      const history = await harness.client.workflow.getHandle(`reminder-${smsId}`).fetchHistory();
      expect(history.events?.some((event) => event.workflowExecutionSignaledEventAttributes)).toBe(false);
      expect(await versionOf(smsId)).toBe(before);
    });

    it('answers 404 for an in-transit status of a reminder that does not exist', async () => {
      const unknown = '/api/webhooks/twilio/status?reminderId=00000000-0000-4000-8000-000000000000&attempt=1';
      expect((await postTwilioStatus(harness.baseUrl, unknown, params('sent'))).status).toBe(404);
    });

    it('finds the reminder by MessageSid when the URL does not say, and applies the status', async () => {
      const response = await postTwilioStatus(harness.baseUrl, '/api/webhooks/twilio/status', params('delivered'));
      expect(response).toMatchObject({ status: 200, body: { outcome: 'signalled' } });
      const reminder = await harness.waitForReminder(smsId, (r) => r.status === 'completed');
      expect(reminder.deliveryStatus).toBe('delivered');
    });
  });

  it('counts webhooks by route, outcome and status on /metrics, without ids in the labels', async () => {
    const metrics = await (await fetch(`${harness.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/webhooks_received_total\{route="\/api\/webhooks\/call-status",outcome="rejected",status="401"\} [1-9]/);
    expect(metrics).toMatch(/webhooks_received_total\{route="\/api\/webhooks\/twilio\/status",outcome="signalled",status="200"\} [1-9]/);
    expect(metrics).toMatch(/reminders_created_total\{channel="call"\} 1/);
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).not.toContain(callId);
  });
});
