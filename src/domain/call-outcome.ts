import type { CallOutcome } from './reminder';

/**
 * The one mapping from the agent's `customer_response` to what happens next (case and
 * surrounding spaces do not matter):
 * - a known retry response (nobody reached, or asked to be called later) → `retry`, even on
 *   a call that connected;
 * - a known done response (the customer answered the reminder) → `done`, but only if the call
 *   connected: an answer reported for a call that never connected cannot be believed, so retry;
 * - anything else → decided by `connected`: a word we do not know yet never loses an outcome
 *   when a person was reached, and never ends the reminder when nobody was. The projection
 *   keeps the response as sent either way.
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

export type CallResponseKind = 'retry' | 'done' | 'unknown';

export function classifyCustomerResponse(customerResponse: string): CallResponseKind {
  const response = customerResponse.trim().toLowerCase();
  if (RETRY_RESPONSES.has(response)) return 'retry';
  if (DONE_RESPONSES.has(response)) return 'done';
  return 'unknown';
}

export function decideCallOutcome(outcome: CallOutcome): CallOutcomeDecision {
  switch (classifyCustomerResponse(outcome.customer_response)) {
    case 'retry':
      return 'retry';
    case 'done':
    case 'unknown':
      // Both stand on whether a person was reached: a known answer must come from a
      // connected call to count, and an unknown one counts exactly when the call connected.
      return outcome.connected ? 'done' : 'retry';
  }
}

export const KNOWN_CUSTOMER_RESPONSES = { retry: [...RETRY_RESPONSES], done: [...DONE_RESPONSES] };
