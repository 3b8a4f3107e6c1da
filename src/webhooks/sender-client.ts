import { randomUUID } from 'node:crypto';
import { signWebhookBody, SIGNATURE_HEADER } from './signature';
import { signStandardWebhook, STANDARD_WEBHOOK_HEADERS } from './standard-webhooks';

/** The guide's retry schedule: attempt 1 at once, attempt 2 after 2 s, attempt 3 after 4 s. */
export const WEBHOOK_RETRY_DELAYS_MS = [0, 2_000, 4_000] as const;

export interface WebhookSenderOptions {
  url: string;
  secret: string;
  /** `hmac` (default): the guide's X-Webhook-Signature. `standard`: Standard Webhooks headers. */
  scheme?: 'hmac' | 'standard';
  /** Overridable for tests; defaults to the guide's schedule. */
  retryDelaysMs?: readonly number[];
  fetch?: typeof fetch;
  /** Called once when delivery failed for good (every attempt, or a 4xx no retry can change): it needs a person. */
  onGiveUp?: (failure: { url: string; attempts: number; lastError: string; body: string }) => void;
}

export interface WebhookDelivery {
  delivered: boolean;
  attempts: number;
  status?: number;
}

/**
 * What the voice agent uses to report call events: signs the exact bytes it sends and
 * retries on network errors, 5xx and 429 (a 4xx other than 429 is our answer, not a
 * fault, and is not retried).
 */
export function createWebhookSender(options: WebhookSenderOptions) {
  const delays = options.retryDelaysMs ?? WEBHOOK_RETRY_DELAYS_MS;
  const doFetch = options.fetch ?? fetch;
  const giveUp =
    options.onGiveUp ??
    ((failure) => console.error(JSON.stringify({ msg: 'webhook delivery failed; needs manual investigation', ...failure })));

  return async function send(payload: unknown): Promise<WebhookDelivery> {
    const body = JSON.stringify(payload);
    // One id per event, kept across retries, so the receiver can drop a duplicate delivery.
    const webhookId = `msg_${randomUUID().replaceAll('-', '')}`;
    const signatureHeaders = (): Record<string, string> => {
      if (options.scheme !== 'standard') return { [SIGNATURE_HEADER]: signWebhookBody(options.secret, body) };
      const timestamp = new Date(); // signed anew for each attempt
      return {
        [STANDARD_WEBHOOK_HEADERS.id]: webhookId,
        [STANDARD_WEBHOOK_HEADERS.timestamp]: String(Math.floor(timestamp.getTime() / 1000)),
        [STANDARD_WEBHOOK_HEADERS.signature]: signStandardWebhook({ id: webhookId, timestamp, body, secret: options.secret }),
      };
    };
    let lastError = '';
    for (let attempt = 1; attempt <= delays.length; attempt++) {
      const wait = delays[attempt - 1] ?? 0;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        const response = await doFetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signatureHeaders() },
          body,
        });
        if (response.ok) return { delivered: true, attempts: attempt, status: response.status };
        lastError = `HTTP ${response.status}: ${await response.text()}`;
        if (response.status < 500 && response.status !== 429) {
          giveUp({ url: options.url, attempts: attempt, lastError, body });
          return { delivered: false, attempts: attempt, status: response.status };
        }
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
    giveUp({ url: options.url, attempts: delays.length, lastError, body });
    return { delivered: false, attempts: delays.length };
  };
}
