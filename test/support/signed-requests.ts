import twilio from 'twilio';
import { signWebhookBody } from '../../src/webhooks/signature';
import type { WebhookBody } from './api-bodies';
import { TEST_SECRETS } from './reminder-harness';

/** Posts a call event as the voice agent does: signature over the exact bytes sent. */
export async function postCallEvent(
  baseUrl: string,
  payload: unknown,
  options: { secret?: string; signature?: string; body?: string } = {},
) {
  const body = options.body ?? JSON.stringify(payload);
  const response = await fetch(`${baseUrl}/api/webhooks/call-status`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-signature': options.signature ?? signWebhookBody(options.secret ?? TEST_SECRETS.webhookSecret, body),
    },
    body,
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as WebhookBody | undefined };
}

/** Posts a Twilio status callback signed with the twilio library, as Twilio does. */
export async function postTwilioStatus(
  baseUrl: string,
  pathAndQuery: string,
  params: Record<string, string>,
  options: { authToken?: string; signature?: string } = {},
) {
  const url = baseUrl + pathAndQuery;
  const signature = options.signature ?? twilio.getExpectedTwilioSignature(options.authToken ?? TEST_SECRETS.twilioAuthToken, url, params);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as WebhookBody | undefined };
}
