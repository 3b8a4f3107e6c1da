import type { InvoiceStatus } from '../../../src/domain/invoice';
import type { Channel, ReminderState } from '../../../src/domain/reminder';
import { decideFallback, notReachedReason } from '../../../src/domain/step-fallback';
import { outcome } from './fixtures';

const ended = (channel: Channel, changes: Partial<ReminderState>): ReminderState => ({
  reminderId: 'r1',
  channel,
  status: 'failed',
  attempt: 2,
  maxAttempts: 2,
  history: [],
  version: 9,
  ...changes,
});

describe('when a contact did not reach the customer', () => {
  it.each([
    ['undelivered', '30003', 'SMS undelivered (Twilio error 30003)'],
    ['failed', undefined, 'SMS failed'],
  ] as const)('an SMS whose last delivery report was %s (error %s)', (deliveryStatus, errorCode, reason) => {
    expect(notReachedReason(ended('sms', { deliveryStatus, errorCode }))).toBe(reason);
  });

  it.each(['21614', '30006'])('an SMS Twilio refused because the number cannot take SMS (%s), at send or in the report', (errorCode) => {
    const expected = `SMS refused: the number cannot take SMS (Twilio error ${errorCode})`;
    expect(notReachedReason(ended('sms', { errorCode, permanentFailure: true }))).toBe(expected);
    expect(notReachedReason(ended('sms', { errorCode, deliveryStatus: 'undelivered', permanentFailure: true }))).toBe(expected);
  });

  it.each(['no_answer', 'busy', 'voicemail', 'not_connected'])('a call that ended %s after its attempts', (response) => {
    expect(notReachedReason(ended('call', { callOutcome: outcome(response, false) }))).toBe(`call ended ${response} after 2 attempts`);
  });

  it('a call whose outcome says it did not connect, whatever the word', () => {
    expect(notReachedReason(ended('call', { attempt: 1, callOutcome: outcome('line_dropped', false) }))).toBe(
      'call did not connect (line_dropped) after 1 attempt',
    );
  });

  it('reads the response as the status machine does: case and spaces do not matter', () => {
    expect(notReachedReason(ended('call', { callOutcome: outcome(' No_Answer ', false) }))).toBe('call ended no_answer after 2 attempts');
  });
});

describe('what is not "not reached"', () => {
  it('a completed contact reached the customer', () => {
    expect(notReachedReason(ended('sms', { status: 'completed', deliveryStatus: 'delivered' }))).toBeUndefined();
    expect(notReachedReason(ended('call', { status: 'completed', callOutcome: outcome('acknowledged') }))).toBeUndefined();
  });

  it.each(['Recipient opted out', 'Invoice paid', 'Plan paused: customer called', 'Cancelled by request'])(
    'a cancelled contact was a decision (%s), not a miss',
    (skipReason) => {
      expect(notReachedReason(ended('sms', { status: 'cancelled', skipReason }))).toBeUndefined();
      expect(notReachedReason(ended('call', { status: 'cancelled', skipReason }))).toBeUndefined();
    },
  );

  it('a failure that says nothing about the customer: no report in time, an invalid number, a call never reported on', () => {
    expect(notReachedReason(ended('sms', { skipReason: 'SMS timeout - no delivery report from Twilio' }))).toBeUndefined();
    expect(notReachedReason(ended('sms', { errorCode: '21211', permanentFailure: true }))).toBeUndefined();
    expect(notReachedReason(ended('call', { skipReason: 'Call timeout - no agent response' }))).toBeUndefined();
  });

  it('a connected call that asked for a call back reached someone', () => {
    expect(notReachedReason(ended('call', { callOutcome: outcome('call_back_later', true) }))).toBeUndefined();
  });
});

describe('the fallback decision', () => {
  const undelivered = ended('sms', { deliveryStatus: 'undelivered' });

  it('runs the step’s fallback channel once its contact did not reach the customer, saying why', () => {
    expect(decideFallback({ fallback: 'call' }, undelivered, 'open')).toEqual({ channel: 'call', reason: 'fallback: SMS undelivered' });
  });

  it('runs nothing for a step without a fallback', () => {
    expect(decideFallback({}, undelivered, 'open')).toBeUndefined();
  });

  it.each<InvoiceStatus>(['paid', 'cancelled', 'paused', 'exhausted'])('runs nothing once the plan is %s', (status) => {
    expect(decideFallback({ fallback: 'call' }, undelivered, status)).toBeUndefined();
  });
});
