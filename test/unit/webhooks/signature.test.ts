import { createHmac } from 'node:crypto';
import { InvalidSignatureError, SIGNATURE_HEADER, signWebhookBody, verifyWebhookSignature } from '../../../src/webhooks/signature';

const SECRET = 'whsec_known_answer_secret';
const BODY = Buffer.from('{"event_type":"call_answered","reminder_id":"3f2b8c1e-0d4a-4b6e-9c7f-1a2b3c4d5e6f"}', 'utf8');

/** Independent of the module under test: plain node:crypto. */
const hmacHex = (secret: string, body: Buffer | string) => createHmac('sha256', secret).update(body).digest('hex');

function expectRejected(secret: string, body: Buffer, header: string | undefined, message?: RegExp): void {
  let thrown: unknown;
  try {
    verifyWebhookSignature(secret, body, header);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidSignatureError);
  expect((thrown as Error).name).toBe('InvalidSignatureError');
  if (message) expect((thrown as Error).message).toMatch(message);
}

describe('webhook signature: known-answer vector', () => {
  /*
   * Known-answer vector, also produced outside Node. A Python sender computes the same value with
   *
   *   import hmac, hashlib
   *   body = b'{"event_type":"call_answered","reminder_id":"3f2b8c1e-0d4a-4b6e-9c7f-1a2b3c4d5e6f"}'
   *   hmac.new(b"whsec_known_answer_secret", body, hashlib.sha256).hexdigest()
   *   # -> 'c9f7e4046cce03468f7ceaf3a30fb6419e318a89d13ffb9586bae02a72e38a5e'
   *
   * and OpenSSL: printf '%s' "$body" | openssl dgst -sha256 -hmac whsec_known_answer_secret
   * Key = the secret's UTF-8 bytes, message = the exact body bytes, output = lower-case hex.
   */
  const EXPECTED = 'c9f7e4046cce03468f7ceaf3a30fb6419e318a89d13ffb9586bae02a72e38a5e';

  it('node:crypto reproduces the Python/OpenSSL value for the literal body', () => {
    expect(hmacHex(SECRET, BODY)).toBe(EXPECTED);
  });

  it('signWebhookBody produces the same lower-case 64-hex value for a Buffer and for the equivalent string', () => {
    expect(signWebhookBody(SECRET, BODY)).toBe(EXPECTED);
    expect(signWebhookBody(SECRET, BODY.toString('utf8'))).toBe(EXPECTED);
  });

  it('verifyWebhookSignature accepts the known-answer value', () => {
    expect(() => verifyWebhookSignature(SECRET, BODY, EXPECTED)).not.toThrow();
  });

  it('signs non-ASCII bodies and secrets as UTF-8 (Python: secret.encode(), body.encode())', () => {
    // hmac.new("s\u00e9cret".encode(), '{"notes":"caf\u00e9 \u2713"}'.encode(), hashlib.sha256).hexdigest()
    const expected = '5667d16c9d68e5f975fdd43e760f32b8bf79af43c04634de6870d470d15f9b4e';
    const body = '{"notes":"café ✓"}';
    expect(signWebhookBody('sécret', body)).toBe(expected);
    expect(() => verifyWebhookSignature('sécret', Buffer.from(body, 'utf8'), expected)).not.toThrow();
  });

  it('names the header in lower case, as Node exposes incoming headers', () => {
    expect(SIGNATURE_HEADER).toBe('x-webhook-signature');
  });
});

describe('verifyWebhookSignature accepts', () => {
  const good = hmacHex(SECRET, BODY);

  it.each([
    ['the bare lower-case hex signature', good],
    ['a "sha256=" prefix', `sha256=${good}`],
    ['an upper-case "SHA256=" prefix', `SHA256=${good}`],
    ['upper-case hex', good.toUpperCase()],
    ['a prefix with upper-case hex', `sha256=${good.toUpperCase()}`],
    ['surrounding whitespace from a proxy', `  ${good}\t`],
  ])('%s', (_description, header) => {
    expect(() => verifyWebhookSignature(SECRET, BODY, header)).not.toThrow();
  });

  it('an empty body signed with the secret', () => {
    const empty = Buffer.alloc(0);
    expect(() => verifyWebhookSignature(SECRET, empty, hmacHex(SECRET, empty))).not.toThrow();
  });
});

describe('verifyWebhookSignature rejects with InvalidSignatureError', () => {
  const good = hmacHex(SECRET, BODY);

  it('a missing header', () => expectRejected(SECRET, BODY, undefined, /missing/));

  it('an empty header', () => expectRejected(SECRET, BODY, '', /missing/));

  it('a whitespace-only header', () => expectRejected(SECRET, BODY, '   ', /malformed/));

  it('a prefix with no signature', () => expectRejected(SECRET, BODY, 'sha256=', /malformed/));

  it.each([63, 32, 1])('a signature truncated to %i hex characters', (length) => {
    expectRejected(SECRET, BODY, good.slice(0, length), /malformed/);
    expectRejected(SECRET, BODY, `sha256=${good.slice(0, length)}`, /malformed/);
  });

  it('a signature with an extra hex character', () => expectRejected(SECRET, BODY, `${good}0`, /malformed/));

  it('a signature made with a different secret', () => {
    expectRejected(SECRET, BODY, hmacHex('another-secret', BODY), /does not match/);
  });

  it('a signature of a different body', () => {
    const other = Buffer.from('{"event_type":"call_answered","reminder_id":"00000000-0000-4000-8000-000000000000"}');
    expectRejected(SECRET, BODY, hmacHex(SECRET, other), /does not match/);
  });

  it('a body that differs in one byte from the signed one', () => {
    const tampered = Buffer.from(BODY);
    const index = tampered.length - 2;
    tampered[index] = tampered[index]! ^ 0x01;
    expect(tampered.equals(BODY)).toBe(false);
    expectRejected(SECRET, tampered, good, /does not match/);
  });

  it('a signature over re-serialized JSON instead of the bytes that were sent', () => {
    // What the sender put on the wire: pretty-printed, keys in its own order.
    const sent = Buffer.from('{\n  "reminder_id": "3f2b8c1e-0d4a-4b6e-9c7f-1a2b3c4d5e6f",\n  "event_type": "call_answered"\n}');
    // A receiver (or sender) that signs JSON.stringify(JSON.parse(...)) signs different bytes.
    const reserialized = JSON.stringify(JSON.parse(sent.toString()));
    expect(reserialized).not.toBe(sent.toString());
    expectRejected(SECRET, sent, hmacHex(SECRET, reserialized), /does not match/);
    // Key order alone is enough to break it.
    const reordered = JSON.stringify({ event_type: 'call_answered', reminder_id: '3f2b8c1e-0d4a-4b6e-9c7f-1a2b3c4d5e6f' });
    expectRejected(
      SECRET,
      Buffer.from('{"reminder_id":"3f2b8c1e-0d4a-4b6e-9c7f-1a2b3c4d5e6f","event_type":"call_answered"}'),
      hmacHex(SECRET, reordered),
      /does not match/,
    );
    // And the bytes actually sent do verify.
    expect(() => verifyWebhookSignature(SECRET, sent, hmacHex(SECRET, sent))).not.toThrow();
  });

  it('a signature made with the secret plus a trailing newline, checked against the secret without it', () => {
    expectRejected(SECRET, BODY, hmacHex(`${SECRET}\n`, BODY), /does not match/);
  });

  it('a signature made without the trailing newline, checked against a secret that has one', () => {
    expectRejected(`${SECRET}\n`, BODY, hmacHex(SECRET, BODY), /does not match/);
  });

  it.each([
    ['64 non-hex characters', 'z'.repeat(64)],
    ['hex with one non-hex character', `${good.slice(0, 63)}g`],
    ['base64 of the right digest', createHmac('sha256', SECRET).update(BODY).digest('base64')],
    ['a word', 'invalid'],
    ['a doubled prefix', `sha256=sha256=${good}`],
    ['a different algorithm prefix', `sha1=${good}`],
    ['hex with embedded spaces', good.replace(/(.{8})/g, '$1 ').trim()],
  ])('non-hex garbage: %s', (_description, header) => {
    expectRejected(SECRET, BODY, header, /malformed/);
  });
});
