import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { InvalidSignatureError } from '../../../src/webhooks/signature';
import {
  signStandardWebhook,
  standardWebhookKey,
  verifyStandardWebhook,
  type StandardWebhookHeaders,
  type VerifyStandardWebhookInput,
} from '../../../src/webhooks/standard-webhooks';

/*
 * The reference test vector of the Standard Webhooks reference libraries
 * (github.com/standard-webhooks/standard-webhooks, libraries/*: the same values in every language).
 */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
} as const;
const VECTOR_NOW = new Date(VECTOR.timestamp * 1000);
const VECTOR_BODY = Buffer.from(VECTOR.payload, 'utf8');
const VECTOR_HEADERS: StandardWebhookHeaders = { id: VECTOR.id, timestamp: String(VECTOR.timestamp), signature: VECTOR.signature };

const OTHER_SECRET = 'whsec_' + Buffer.from('another-secret-of-32-bytes-long!').toString('base64');

function verifyVector(overrides: Partial<VerifyStandardWebhookInput> = {}) {
  return verifyStandardWebhook({ secrets: [VECTOR.secret], headers: VECTOR_HEADERS, body: VECTOR_BODY, now: VECTOR_NOW, ...overrides });
}

function expectRejected(run: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidSignatureError);
  expect((thrown as Error).message).toMatch(message);
}

/** The reference library reads the clock through Date.now(); pin it for its verify(). */
function atTime<T>(date: Date, run: () => T): T {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(date.getTime());
  try {
    return run();
  } finally {
    spy.mockRestore();
  }
}

const referenceHeaders = (headers: StandardWebhookHeaders) => ({
  'webhook-id': headers.id!,
  'webhook-timestamp': headers.timestamp!,
  'webhook-signature': headers.signature!,
});

describe('Standard Webhooks: the reference test vector', () => {
  it('signStandardWebhook produces the expected signature (number, Date, Buffer and string forms)', () => {
    expect(signStandardWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR.payload, secret: VECTOR.secret })).toBe(
      VECTOR.signature,
    );
    expect(signStandardWebhook({ id: VECTOR.id, timestamp: VECTOR_NOW, body: VECTOR_BODY, secret: VECTOR.secret })).toBe(VECTOR.signature);
  });

  it('verifyStandardWebhook accepts it and returns the id and timestamp', () => {
    expect(verifyVector()).toEqual({ id: VECTOR.id, timestamp: VECTOR.timestamp });
  });

  it('the standardwebhooks package agrees: same signature, and it verifies the vector', () => {
    const reference = new Webhook(VECTOR.secret);
    expect(reference.sign(VECTOR.id, VECTOR_NOW, VECTOR.payload)).toBe(VECTOR.signature);
    expect(atTime(VECTOR_NOW, () => reference.verify(VECTOR_BODY, referenceHeaders(VECTOR_HEADERS)))).toEqual({ test: 2432232314 });
  });

  it('cross-checks both ways on a fresh message: ours signs → package verifies, package signs → ours verifies', () => {
    const now = new Date('2026-11-24T10:00:00.000Z');
    const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const body = Buffer.from(JSON.stringify({ event_type: 'call_completed', reminder_id: 'r-1', note: 'naïve café ✓' }), 'utf8');
    const id = 'msg_cross_check';
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const reference = new Webhook(secret);

    const ours = signStandardWebhook({ id, timestamp: now, body, secret });
    expect(atTime(now, () => reference.verify(body, referenceHeaders({ id, timestamp, signature: ours })))).toMatchObject({
      reminder_id: 'r-1',
    });

    const theirs = reference.sign(id, now, body);
    expect(theirs).toBe(ours);
    expect(verifyStandardWebhook({ secrets: [secret], headers: { id, timestamp, signature: theirs }, body, now })).toEqual({
      id,
      timestamp: Number(timestamp),
    });
  });

  it('the package rejects what we reject for another body (sanity check of the cross-check)', () => {
    const reference = new Webhook(VECTOR.secret);
    expect(() => atTime(VECTOR_NOW, () => reference.verify(Buffer.from('{"test": 1}'), referenceHeaders(VECTOR_HEADERS)))).toThrow(
      WebhookVerificationError,
    );
    expectRejected(() => verifyVector({ body: Buffer.from('{"test": 1}') }), /no v1 signature matching/);
  });
});

describe('Standard Webhooks: rejections', () => {
  it.each([
    ['webhook-id', { ...VECTOR_HEADERS, id: undefined }],
    ['webhook-timestamp', { ...VECTOR_HEADERS, timestamp: undefined }],
    ['webhook-signature', { ...VECTOR_HEADERS, signature: undefined }],
  ])('a missing %s header', (name, headers) => {
    expectRejected(() => verifyVector({ headers }), new RegExp(`missing ${name} header`));
  });

  it('an empty header (what Koa ctx.get() returns for a missing one) counts as missing', () => {
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, id: '' } }), /missing webhook-id header/);
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, signature: '  ' } }), /missing webhook-signature header/);
  });

  it.each(['abc', '1614265330.5', '-1614265330', '1.6e9', '01614265330', '1614265330abc', '2021-02-25T15:02:10Z'])(
    'a malformed timestamp: %s',
    (timestamp) => {
      expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, timestamp } }), /malformed webhook-timestamp/);
    },
  );

  it('a timestamp more than 5 minutes old (exactly 5 minutes still passes)', () => {
    expect(verifyVector({ now: new Date(VECTOR_NOW.getTime() + 300_000) })).toMatchObject({ id: VECTOR.id });
    expectRejected(() => verifyVector({ now: new Date(VECTOR_NOW.getTime() + 301_000) }), /too old/);
  });

  it('a timestamp more than 5 minutes in the future (exactly 5 minutes still passes)', () => {
    expect(verifyVector({ now: new Date(VECTOR_NOW.getTime() - 300_000) })).toMatchObject({ id: VECTOR.id });
    expectRejected(() => verifyVector({ now: new Date(VECTOR_NOW.getTime() - 301_000) }), /in the future/);
  });

  it('a configurable tolerance', () => {
    const now = new Date(VECTOR_NOW.getTime() + 61_000);
    expectRejected(() => verifyVector({ now, toleranceSeconds: 60 }), /too old/);
    expect(verifyVector({ now, toleranceSeconds: 61 })).toMatchObject({ id: VECTOR.id });
  });

  it('a truncated signature', () => {
    expectRejected(
      () => verifyVector({ headers: { ...VECTOR_HEADERS, signature: VECTOR.signature.slice(0, -2) } }),
      /no v1 signature matching/,
    );
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, signature: 'v1,' } }), /no v1 signature matching/);
  });

  it('a signature without the v1 prefix, or with another version', () => {
    const bare = VECTOR.signature.slice(3);
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, signature: bare } }), /no v1 signature matching/);
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, signature: `v2,${bare}` } }), /no v1 signature matching/);
  });

  it('a signature made with another secret', () => {
    const signature = signStandardWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR_BODY, secret: OTHER_SECRET });
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, signature } }), /no v1 signature matching/);
  });

  it('another body, another id, or another timestamp than the one signed', () => {
    expectRejected(() => verifyVector({ body: Buffer.from('{"test": 2432232315}') }), /no v1 signature matching/);
    expectRejected(() => verifyVector({ body: Buffer.from(VECTOR.payload + '\n') }), /no v1 signature matching/);
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, id: 'msg_other' } }), /no v1 signature matching/);
    expectRejected(
      () => verifyVector({ headers: { ...VECTOR_HEADERS, timestamp: String(VECTOR.timestamp + 1) } }),
      /no v1 signature matching/,
    );
  });

  it('a configuration mistake is a plain Error, not a 401: no secrets, or a whsec_ secret that is not base64', () => {
    expect(() => verifyVector({ secrets: [] })).toThrow(/no secrets configured/);
    expect(() => verifyVector({ secrets: ['whsec_not base64!'] })).toThrow(/not valid base64/);
    expect(() => verifyVector({ secrets: ['whsec_not base64!'] })).not.toThrow(InvalidSignatureError);
    expect(() => standardWebhookKey('whsec_')).toThrow(/not valid base64/);
    expect(() => standardWebhookKey('')).toThrow(/empty/);
  });
});

describe('Standard Webhooks: several signatures and several secrets', () => {
  it('passes when one of several space-separated signatures matches, wherever it is', () => {
    const wrong = signStandardWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR_BODY, secret: OTHER_SECRET });
    for (const signature of [
      `${wrong} ${VECTOR.signature}`,
      `${VECTOR.signature} ${wrong}`,
      `v1a,c29tZXRoaW5n ${VECTOR.signature}`,
      `v1,short ${wrong} ${VECTOR.signature}`,
    ]) {
      expect(verifyVector({ headers: { ...VECTOR_HEADERS, signature } })).toEqual({ id: VECTOR.id, timestamp: VECTOR.timestamp });
    }
    expectRejected(() => verifyVector({ headers: { ...VECTOR_HEADERS, signature: `${wrong} v1,short` } }), /no v1 signature matching/);
  });

  it('rotation: with the old and the new secret configured, a message signed with either verifies', () => {
    const secrets = [VECTOR.secret, OTHER_SECRET];
    for (const secret of secrets) {
      const signature = signStandardWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR_BODY, secret });
      expect(verifyVector({ secrets, headers: { ...VECTOR_HEADERS, signature } })).toMatchObject({ id: VECTOR.id });
      expect(verifyVector({ secrets: [...secrets].reverse(), headers: { ...VECTOR_HEADERS, signature } })).toMatchObject({ id: VECTOR.id });
    }
    // ...and once the old secret is dropped, its signatures no longer pass.
    expectRejected(() => verifyVector({ secrets: [OTHER_SECRET] }), /no v1 signature matching/);
  });

  it('a raw secret without the whsec_ prefix is used as its UTF-8 bytes (as the package\'s "raw" format does)', () => {
    const raw = 'plain-shared-secret-ünïcode';
    const signature = signStandardWebhook({ id: VECTOR.id, timestamp: VECTOR.timestamp, body: VECTOR_BODY, secret: raw });
    expect(verifyVector({ secrets: [raw], headers: { ...VECTOR_HEADERS, signature } })).toMatchObject({ id: VECTOR.id });
    expect(standardWebhookKey(raw)).toEqual(Buffer.from(raw, 'utf8'));
    // Cross-check: the reference package with the same key bytes.
    expect(new Webhook(new Uint8Array(Buffer.from(raw, 'utf8')), { format: 'raw' }).sign(VECTOR.id, VECTOR_NOW, VECTOR_BODY)).toBe(
      signature,
    );
    // The raw string is NOT base64-decoded: the same text behind whsec_ is a different key.
    expectRejected(() => verifyVector({ secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }), /no v1 signature matching/);
  });

  it('signs the exact body bytes, including bytes that are not valid UTF-8', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = signStandardWebhook({ id: 'msg_bytes', timestamp: VECTOR.timestamp, body, secret: VECTOR.secret });
    const headers = { id: 'msg_bytes', timestamp: String(VECTOR.timestamp), signature };
    expect(verifyVector({ headers, body })).toMatchObject({ id: 'msg_bytes' });
    expectRejected(() => verifyVector({ headers, body: Buffer.from(body.toString('utf8'), 'utf8') }), /no v1 signature matching/);
  });
});
