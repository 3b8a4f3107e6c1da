import { signWebhookBody } from '../../src/webhooks/signature';
import { createWebhookSender } from '../../src/webhooks/sender-client';
import { signStandardWebhook } from '../../src/webhooks/standard-webhooks';
import { reminderQuery, reminderWorkflowId } from '../../src/workflows/definitions';
import { ReminderHarness, reminderRequest, TEST_SECRETS } from '../support/reminder-harness';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

const OLD_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEW_SECRET = 'whsec_c2VjcmV0LWZvci1yb3RhdGlvbi10ZXN0cy0xMjM0NQ==';

/** Opt-in replay-protected signatures on call-status, with two secrets during a rotation. */
describe('Standard Webhooks signatures (WEBHOOK_SIGNATURE_SCHEME=both)', () => {
  let harness: ReminderHarness;
  let reminderId: string;
  const url = () => `${harness.baseUrl}/api/webhooks/call-status`;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    }));
  const version = async () => (await harness.client.workflow.getHandle(reminderWorkflowId(reminderId)).query(reminderQuery)).version;
  const standardHeaders = (id: string, body: string, secret: string, at = new Date()) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signStandardWebhook({ id, timestamp: at, body, secret }),
  });

  beforeAll(async () => {
    harness = await ReminderHarness.start({ webhooks: { signatureScheme: 'both', standardSecrets: [NEW_SECRET, OLD_SECRET] } });
    reminderId = (
      await harness.api(
        'POST',
        '/api/reminders',
        reminderRequest({ channel: 'call', customer: { id: 'sw', name: 'Std Hooks', phone: SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT } }),
      )
    ).body.reminderId;
    await harness.waitForReminder(reminderId, (r) => r.status === 'in_progress');
  });
  afterAll(async () => {
    await harness?.api('POST', `/api/reminders/${reminderId}/cancel`);
    await harness?.stop();
  });

  it('accepts the sender client in the standard scheme, and processes one webhook-id once', async () => {
    const body = JSON.stringify({ reminder_id: reminderId, event_type: 'call_answered', attempt: 1 });
    const headers = standardHeaders('msg_once', body, OLD_SECRET);
    expect(await post(body, headers)).toEqual({ status: 200, body: { received: true, outcome: 'signalled' } });
    await harness.waitForReminder(reminderId, (r) => r.status === 'processing');
    const before = await version();
    expect(await post(body, headers)).toEqual({
      status: 200,
      body: { received: true, outcome: 'ignored', reason: 'duplicate webhook-id' },
    });
    expect(await version()).toBe(before);
  });

  it('accepts a delivery signed with the new secret, sent by the sender client', async () => {
    const send = createWebhookSender({ url: url(), secret: NEW_SECRET, scheme: 'standard', retryDelaysMs: [0] });
    const delivery = await send({ reminder_id: reminderId, event_type: 'call_answered', attempt: 1 });
    expect(delivery).toEqual({ delivered: true, attempts: 1, status: 200 });
  });

  it('refuses a timestamp more than 5 minutes old or ahead, and a secret not configured', async () => {
    const body = JSON.stringify({ reminder_id: reminderId, event_type: 'call_answered', attempt: 1 });
    const before = await version();
    expect((await post(body, standardHeaders('msg_old', body, NEW_SECRET, new Date(Date.now() - 6 * 60_000)))).status).toBe(401);
    expect((await post(body, standardHeaders('msg_future', body, NEW_SECRET, new Date(Date.now() + 6 * 60_000)))).status).toBe(401);
    expect((await post(body, standardHeaders('msg_other', body, 'whsec_b3RoZXItc2VjcmV0LW5vdC1jb25maWd1cmVk'))).status).toBe(401);
    expect(await version()).toBe(before);
  });

  it('still accepts the guide’s X-Webhook-Signature under `both`', async () => {
    const body = JSON.stringify({ reminder_id: reminderId, event_type: 'call_answered', attempt: 1 });
    expect((await post(body, { 'x-webhook-signature': signWebhookBody(TEST_SECRETS.webhookSecret, body) })).status).toBe(200);
  });
});
