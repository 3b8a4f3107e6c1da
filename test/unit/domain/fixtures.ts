// Expected values shared by the domain tests, written out by hand (not read from the code
// under test), so a change to a list in src shows up as a failing test.
import type { CallOutcome } from '../../../src/domain/reminder';

/** The agent's documented `customer_response` words (src/domain/call-outcome.ts). */
export const RETRY_RESPONSES = [
  'no_answer',
  'not_connected',
  'busy',
  'voicemail',
  'call_back_later',
  'callback_requested',
  'wrong_person',
  'line_dropped',
];
export const DONE_RESPONSES = [
  'will_pay_today',
  'will_pay_later',
  'already_paid',
  'payment_plan_requested',
  'disputed',
  'refused',
  'acknowledged',
];

/**
 * Twilio error codes as a delivery report (`ErrorCode`) decides them, from Twilio's error
 * dictionary. 21408 is permanent: its page says the destination is disabled in Messaging Geo
 * Permissions, which only an operator changes (src/domain/failure-policy.ts). 11200 is an
 * HTTP retrieval failure of a webhook, not a verdict on the message: unknown codes are retried.
 */
export const PERMANENT_SMS_CODES = ['21211', '21212', '21408', '21610', '21612', '21614', '30004', '30005', '30006', '30007', '30010'];
export const RETRYABLE_SMS_CODES = ['30003', '30008', '30001', '30002', '11200'];

export const outcome = (customer_response: string, connected = true, extra: Partial<CallOutcome> = {}): CallOutcome => ({
  connected,
  duration: connected ? 42 : 0,
  customer_response,
  ...extra,
});
