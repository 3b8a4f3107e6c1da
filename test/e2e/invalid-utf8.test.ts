import { reminderQuery, reminderWorkflowId } from '../../src/workflows/definitions';
import { signWebhookBody } from '../../src/webhooks/signature';
import type { ReminderList } from '../support/api-bodies';
import { ReminderHarness, reminderRequest, TEST_SECRETS } from '../support/reminder-harness';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

/**
 * JSON must be UTF-8 (RFC 8259): a body with bytes that are not is refused with 400 before
 * anything acts on it, rather than read with U+FFFD in place of the bad bytes.
 */
describe('a JSON body that is not UTF-8', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  /** The JSON of `value` with the placeholder `@@` replaced by the byte 0xFF, which UTF-8 never uses. */
  const withInvalidByte = (value: unknown) => {
    const [before, after] = JSON.stringify(value).split('@@') as [string, string];
    return Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
  };

  it('creates no reminder', async () => {
    const body = withInvalidByte(reminderRequest({ customer: { id: 'not-utf8', name: 'Ad@@a', phone: '+14155550902' } }));
    const response = await fetch(`${harness.baseUrl}/api/reminders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_SECRETS.apiKey}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'body is not valid UTF-8' });
    const listed = await harness.api<ReminderList>('GET', '/api/reminders?customerId=not-utf8');
    expect(listed.body.items).toEqual([]);
    expect(harness.twilio.messages).toEqual([]);
  });

  it('signals nothing for a correctly signed call-status event', async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ channel: 'call', customer: { id: 'not-utf8-call', name: 'Hook', phone: SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT } }),
    );
    const reminderId = created.body.reminderId;
    // No simulated agent: the call stays in progress, waiting for the agent's events.
    await harness.waitForReminder(reminderId, (reminder) => reminder.status === 'in_progress');
    const handle = harness.client.workflow.getHandle(reminderWorkflowId(reminderId));
    const before = await handle.query(reminderQuery);

    const body = withInvalidByte({ reminder_id: reminderId, event_type: 'call_answered', note: '@@' });
    const response = await fetch(`${harness.baseUrl}/api/webhooks/call-status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-signature': signWebhookBody(TEST_SECRETS.webhookSecret, body) },
      body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'body is not valid UTF-8' });
    expect(await handle.query(reminderQuery)).toEqual(before);
    const signals = (await handle.fetchHistory()).events?.filter((event) => event.workflowExecutionSignaledEventAttributes) ?? [];
    expect(signals).toEqual([]);
    await harness.api('POST', `/api/reminders/${reminderId}/cancel`);
  });
});
