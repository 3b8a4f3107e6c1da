import type { CallOutcome } from './reminder';

/**
 * The one mapping from the agent's `customer_response` to what happens next.
 * `retry`: nobody was reached or the customer asked to be called later, so another attempt
 * is scheduled. `done`: the reminder reached a person (the call connected), whatever they
 * answered; a "done" answer on a call that did not connect is treated as a retry.
 * Values we do not know are kept in the projection as sent and treated as `done` when the
 * call connected, `retry` when it did not: an unknown word never loses an outcome.
 */
const RETRY_RESPONSES = new Set([
  'no_answer',
  'not_connected',
  'busy',
  'voicemail',
  'call_back_later',
  'callback_requested',
  'wrong_person',
  'line_dropped',
]);

const DONE_RESPONSES = new Set([
  'will_pay_today',
  'will_pay_later',
  'already_paid',
  'payment_plan_requested',
  'disputed',
  'refused',
  'acknowledged',
]);

export type CallOutcomeDecision = 'done' | 'retry';

export function decideCallOutcome(outcome: CallOutcome): CallOutcomeDecision {
  const response = outcome.customer_response.trim().toLowerCase();
  if (RETRY_RESPONSES.has(response)) return 'retry';
  if (DONE_RESPONSES.has(response)) return outcome.connected ? 'done' : 'retry';
  return outcome.connected ? 'done' : 'retry';
}

export const KNOWN_CUSTOMER_RESPONSES = { retry: [...RETRY_RESPONSES], done: [...DONE_RESPONSES] };
