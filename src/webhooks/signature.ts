import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The voice agent's webhook signature (guide: "HMAC-SHA256 of the request payload"):
 *
 *   X-Webhook-Signature: <hex( HMAC-SHA256( key = WEBHOOK_SECRET as UTF-8, message = raw body bytes ) )>
 *
 * Lower-case hex, 64 characters; an optional `sha256=` prefix is accepted. The message is
 * the exact bytes sent: sign the serialized body once and send those bytes, never a
 * re-serialization. Python: hmac.new(secret.encode(), body_bytes, hashlib.sha256).hexdigest().
 */
export const SIGNATURE_HEADER = 'x-webhook-signature';

export class InvalidSignatureError extends Error {
  override readonly name = 'InvalidSignatureError';
}

export function signWebhookBody(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Throws InvalidSignatureError unless `header` is the signature of `body` under `secret`. */
export function verifyWebhookSignature(secret: string, body: Buffer, header: string | undefined): void {
  if (!header) throw new InvalidSignatureError('missing X-Webhook-Signature header');
  const given = header.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-f]{64}$/i.test(given)) throw new InvalidSignatureError('malformed X-Webhook-Signature header');
  const expected = createHmac('sha256', secret).update(body).digest();
  if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) {
    throw new InvalidSignatureError('X-Webhook-Signature does not match the body');
  }
}
