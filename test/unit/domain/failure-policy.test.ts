import {
  httpFailureVerdict,
  isPermanentDeliveryError,
  isPermanentFailureType,
  isPermanentHttpStatus,
  PERMANENT_FAILURE_TYPES,
  TWILIO_ERROR_CODES,
  twilioSendVerdict,
  type TwilioErrorCode,
} from '../../../src/domain/failure-policy';
import { PERMANENT_SMS_CODES, RETRYABLE_SMS_CODES } from './fixtures';

const CODES = Object.keys(TWILIO_ERROR_CODES) as TwilioErrorCode[];

describe('the Twilio error table', () => {
  it.each(CODES)('%s has a verdict for both phases and a citation', (code) => {
    const rule = TWILIO_ERROR_CODES[code];
    expect(['permanent', 'retryable']).toContain(rule.atSend);
    expect(['permanent', 'retryable']).toContain(rule.atDelivery);
    expect(rule.twilioSays.length).toBeGreaterThan(20);
    if (rule.atSend === 'permanent') expect(PERMANENT_FAILURE_TYPES).toContain(rule.type);
  });

  it('lists exactly the codes the tests decide by hand (11200 is deliberately not listed)', () => {
    const expected = [...PERMANENT_SMS_CODES, ...RETRYABLE_SMS_CODES].filter((code) => code !== '11200');
    expect([...CODES].sort()).toEqual(expected.sort());
  });

  it('gives 21408 one answer: permanent when messages.create fails and when a delivery report carries it', () => {
    expect(TWILIO_ERROR_CODES['21408']).toMatchObject({ atSend: 'permanent', atDelivery: 'permanent' });
    expect(twilioSendVerdict({ status: 400, code: 21408 })).toEqual({ permanent: true, type: 'InvalidRecipient' });
    expect(isPermanentDeliveryError('21408')).toBe(true);
  });
});

describe('isPermanentDeliveryError', () => {
  it.each(PERMANENT_SMS_CODES)('treats %s as permanent', (code) => expect(isPermanentDeliveryError(code)).toBe(true));
  it.each([...RETRYABLE_SMS_CODES, '', ' 30005', '30005 '])('treats %p as worth a retry', (code) =>
    expect(isPermanentDeliveryError(code)).toBe(false),
  );
  it('treats a missing code as worth a retry', () => expect(isPermanentDeliveryError(undefined)).toBe(false));
});

describe('the HTTP-status rule (Twilio without a listed code, and LiveKit)', () => {
  it.each([400, 401, 403, 404, 409, 422, 499])('%i is permanent', (status) => {
    expect(isPermanentHttpStatus(status)).toBe(true);
    expect(httpFailureVerdict(status)).toEqual({ permanent: true, type: 'RequestRejected' });
  });
  it.each([408, 429, 500, 502, 503, 399, 200, undefined])('%p is worth a retry', (status) => {
    expect(isPermanentHttpStatus(status)).toBe(false);
    expect(httpFailureVerdict(status)).toEqual({ permanent: false });
  });
});

describe('twilioSendVerdict', () => {
  it('names the opt-out, invalid recipients and rejected requests by the type the retry policy lists', () => {
    expect(twilioSendVerdict({ status: 400, code: 21610 })).toEqual({ permanent: true, type: 'RecipientOptedOut' });
    for (const code of [21211, 21612, 21614])
      expect(twilioSendVerdict({ status: 400, code })).toEqual({ permanent: true, type: 'InvalidRecipient' });
    expect(twilioSendVerdict({ status: 400, code: 21212 })).toEqual({ permanent: true, type: 'RequestRejected' });
  });

  it('accepts the code as a number (the REST error) or as a string (a callback field)', () => {
    expect(twilioSendVerdict({ code: '21610' })).toEqual(twilioSendVerdict({ code: 21610 }));
  });

  it('lets the HTTP status decide a code the table does not list', () => {
    expect(twilioSendVerdict({ status: 400, code: 21999 })).toEqual({ permanent: true, type: 'RequestRejected' });
    expect(twilioSendVerdict({ status: 429, code: 20429 })).toEqual({ permanent: false });
    expect(twilioSendVerdict({ status: 503 })).toEqual({ permanent: false });
    expect(twilioSendVerdict({})).toEqual({ permanent: false });
  });

  it('lets a listed retryable code retry even behind a 4xx status', () => {
    expect(twilioSendVerdict({ status: 400, code: 30003 })).toEqual({ permanent: false });
  });
});

describe('isPermanentFailureType', () => {
  it.each(PERMANENT_FAILURE_TYPES)('%s is permanent', (type) => expect(isPermanentFailureType(type)).toBe(true));
  it.each(['Error', 'ApplicationFailure', 'invalidrecipient', '', undefined])('%p is not', (type) =>
    expect(isPermanentFailureType(type)).toBe(false),
  );
});
