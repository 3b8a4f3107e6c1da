import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidSignatureError } from './signature';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), opt-in for the voice-agent
 * webhook:
 *
 *   webhook-id:        msg_p5jXN8AQM9LWM0D4loKWxJek         (unique per event, kept across retries)
 *   webhook-timestamp: 1614265330                           (unix seconds, when this attempt was signed)
 *   webhook-signature: v1,<base64( HMAC-SHA256( key, `${id}.${timestamp}.${raw body bytes}` ) )>
 *
 * The signature header may hold several space-separated signatures (`v1,abc v1,def`); the
 * request is authentic if any one matches under any configured secret, which is what lets a
 * secret be rotated without downtime (configure old and new at once, then drop the old one).
 *
 * Secrets: `whsec_<base64>` is the spec's format and the key is the base64-decoded part. A
 * secret WITHOUT the prefix is used as its UTF-8 bytes, as our older X-Webhook-Signature
 * scheme does. Note that this differs from the reference `standardwebhooks` library, which
 * base64-decodes an unprefixed secret too: give the voice agent the `whsec_` form to be safe.
 *
 * Replays: the timestamp is signed, so an old request cannot be re-dated; requests outside
 * ±toleranceSeconds are refused, and within that window `SeenWebhookIds` (src/store)
 * stops one webhook-id from being processed twice.
 */
export const STANDARD_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

const SECRET_PREFIX = 'whsec_';
/** base64 of a 32-byte HMAC-SHA256 digest is always 44 characters (with one `=`). */
const SIGNATURE_B64_LENGTH = 44;

/**
 * The HMAC key for a configured secret. Throws a plain Error (a configuration mistake, not a
 * bad request) for an empty secret or a `whsec_` secret whose tail is not valid base64:
 * Buffer.from(…, 'base64') silently skips bad characters, which would turn a typo into a key
 * that never matches. Call it when loading the config to fail at startup instead.
 */
export function standardWebhookKey(secret: string): Buffer {
  if (!secret) throw new Error('Standard Webhooks secret is empty');
  if (!secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret, 'utf8');
  const encoded = secret.slice(SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  // Round-trip check: only canonical standard base64 (padding optional) survives unchanged.
  const canonical = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) && key.toString('base64').replace(/=+$/, '') === encoded.replace(/=+$/, '');
  if (!canonical || key.length === 0) throw new Error('Standard Webhooks secret: the part after "whsec_" is not valid base64');
  return key;
}

function hmacBase64(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  // The body is appended as raw bytes, never re-decoded as text: the signature covers exactly what was sent.
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest('base64');
}

export interface SignStandardWebhookInput {
  id: string;
  /** Unix seconds (an integer), or a Date (truncated to whole seconds). */
  timestamp: number | Date;
  /** The exact bytes that will be sent; a string is taken as UTF-8. */
  body: Buffer | string;
  secret: string;
}

/** The `webhook-signature` header value for one message: `v1,<base64>`. */
export function signStandardWebhook({ id, timestamp, body, secret }: SignStandardWebhookInput): string {
  const seconds = timestamp instanceof Date ? Math.floor(timestamp.getTime() / 1000) : timestamp;
  if (!Number.isSafeInteger(seconds) || seconds < 0)
    throw new Error(`Standard Webhooks timestamp must be whole unix seconds, got ${String(timestamp)}`);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return `v1,${hmacBase64(standardWebhookKey(secret), id, String(seconds), bytes)}`;
}

export interface StandardWebhookHeaders {
  /** `webhook-id`; Koa's ctx.get() gives '' for a missing header, which counts as missing. */
  id?: string;
  /** `webhook-timestamp` */
  timestamp?: string;
  /** `webhook-signature` */
  signature?: string;
}

export interface VerifyStandardWebhookInput {
  /** One or more secrets (several during a rotation). Must not be empty. */
  secrets: string[];
  headers: StandardWebhookHeaders;
  /** The raw request body, exactly as received. */
  body: Buffer;
  /** The current time; injectable for tests. */
  now?: Date;
  /** How far the timestamp may be from `now`, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number;
}

export interface VerifiedStandardWebhook {
  id: string;
  /** Unix seconds, from `webhook-timestamp`. */
  timestamp: number;
}

/**
 * Throws InvalidSignatureError (→ 401) unless the request carries a valid Standard Webhooks
 * signature under one of `secrets` with a timestamp within tolerance. Throws a plain Error
 * (→ 500) for a configuration mistake: no secrets, or a malformed `whsec_` secret.
 * It does not check for replays of the same webhook-id: use SeenWebhookIds after this.
 */
export function verifyStandardWebhook({
  secrets,
  headers,
  body,
  now = new Date(),
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
}: VerifyStandardWebhookInput): VerifiedStandardWebhook {
  // Configuration first, so a misconfigured server fails loudly rather than answering 401 to everyone.
  if (secrets.length === 0) throw new Error('Standard Webhooks: no secrets configured');
  const keys = secrets.map(standardWebhookKey);

  const id = headers.id?.trim();
  const timestampHeader = headers.timestamp?.trim();
  const signatureHeader = headers.signature?.trim();
  if (!id) throw new InvalidSignatureError('missing webhook-id header');
  if (!timestampHeader) throw new InvalidSignatureError('missing webhook-timestamp header');
  if (!signatureHeader) throw new InvalidSignatureError('missing webhook-signature header');

  // Canonical decimal only (no sign, fraction, exponent or leading zero): the signed string
  // is the header as sent, so it must be the one spelling every sender produces.
  if (!/^(0|[1-9][0-9]{0,14})$/.test(timestampHeader)) {
    throw new InvalidSignatureError('malformed webhook-timestamp header: expected whole unix seconds');
  }
  const timestamp = Number(timestampHeader);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new InvalidSignatureError(`webhook-timestamp is too old (${nowSeconds - timestamp} s, tolerance ${toleranceSeconds} s)`);
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new InvalidSignatureError(
      `webhook-timestamp is in the future (${timestamp - nowSeconds} s ahead, tolerance ${toleranceSeconds} s)`,
    );
  }

  // Only `v1,` entries are ours; other versions (e.g. the asymmetric `v1a,`) are skipped, as the spec says.
  const given = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'utf8'));
  for (const key of keys) {
    const expected = Buffer.from(hmacBase64(key, id, timestampHeader, body), 'utf8');
    for (const candidate of given) {
      // timingSafeEqual needs equal lengths; a length mismatch (e.g. truncated) can never match anyway.
      if (candidate.length === SIGNATURE_B64_LENGTH && timingSafeEqual(candidate, expected)) return { id, timestamp };
    }
  }
  throw new InvalidSignatureError('webhook-signature has no v1 signature matching the body under any configured secret');
}
