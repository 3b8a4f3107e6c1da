// When a plan's step falls back to its other channel. Pure: the workflow asks it with the
// final state of the step's reminder and the plan's status.
//
// A contact "did not reach the customer" when its last attempt says so:
// - SMS: it ended `failed` with a delivery report of `failed` or `undelivered`, or Twilio
//   refused it because the number cannot take SMS (a landline or not a mobile number: the
//   codes below, at send time or in the delivery report).
// - Call: it ended `failed` with an outcome whose customer_response is no_answer, busy,
//   voicemail or not_connected, or that did not connect: after all its attempts.
// Nothing else is "not reached":
// - `completed` reached the customer (a call that connected, an SMS delivered).
// - `cancelled` was a decision, not a miss: the plan stopped it (paid, paused, cancelled), an
//   operator cancelled it, or the contact policy refused it (opted out: the customer asked us to
//   stop, and a fallback would go around that). The policy defers for caps and the window, so
//   it never ends a reminder for them. An SMS-incapable number reaches us as a Twilio refusal,
//   so it is a `failed` reminder with its code, covered above, never a policy cancel.
// - Other failures say nothing about the customer: no delivery report in time, a call the
//   agent never reported on, a send our side could not make (a 5xx, an invalid number, which
//   the other channel would find invalid too).
// The fallback runs only while the plan is open: never after paid or cancelled, nor while paused.
import type { InvoiceStatus, PlanStep } from './invoice';
import type { ReminderState } from './reminder';
import type { TwilioErrorCode } from './failure-policy';

/** Twilio: 21614 "not a valid mobile number: likely a landline"; 30006 "landline or unreachable carrier". */
export const SMS_INCAPABLE_ERROR_CODES: readonly TwilioErrorCode[] = ['21614', '30006'];

const UNREACHED_CALL_RESPONSES = new Set(['no_answer', 'busy', 'voicemail', 'not_connected']);

/** How the contact ended without reaching the customer, in words; undefined if it reached them or says nothing. */
export function notReachedReason(final: ReminderState): string | undefined {
  if (final.status !== 'failed') return undefined;
  if (final.channel === 'sms') {
    if (final.errorCode && (SMS_INCAPABLE_ERROR_CODES as readonly string[]).includes(final.errorCode)) {
      return `SMS refused: the number cannot take SMS (Twilio error ${final.errorCode})`;
    }
    if (final.deliveryStatus === 'failed' || final.deliveryStatus === 'undelivered') {
      return `SMS ${final.deliveryStatus}${final.errorCode ? ` (Twilio error ${final.errorCode})` : ''}`;
    }
    return undefined;
  }
  const outcome = final.callOutcome;
  if (!outcome) return undefined;
  const response = outcome.customer_response.trim().toLowerCase();
  const attempts = `after ${final.attempt} attempt${final.attempt === 1 ? '' : 's'}`;
  if (UNREACHED_CALL_RESPONSES.has(response)) return `call ended ${response} ${attempts}`;
  if (!outcome.connected) return `call did not connect (${outcome.customer_response}) ${attempts}`;
  return undefined;
}

/** The fallback to run after the step's own contact, with why; undefined when none runs. */
export function decideFallback(
  step: Pick<PlanStep, 'fallback'>,
  final: ReminderState,
  planStatus: InvoiceStatus,
): { channel: PlanStep['channel']; reason: string } | undefined {
  if (!step.fallback || planStatus !== 'open') return undefined;
  const reason = notReachedReason(final);
  return reason ? { channel: step.fallback, reason: `fallback: ${reason}` } : undefined;
}
