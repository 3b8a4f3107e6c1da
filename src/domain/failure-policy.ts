// The one place that decides whether a failed attempt is permanent (no retry can fix it) or
// worth another try. Pure: no Temporal or Node import, so the activities, the retry policies,
// the status machine and the workflow can all import it.

/**
 * The failure `type`s the activities raise as non-retryable. The delivery retry policy lists
 * them as `nonRetryableErrorTypes`, and the workflow reads them as "no further attempt".
 */
export const PERMANENT_FAILURE_TYPES = ['InvalidRecipient', 'RecipientOptedOut', 'RequestRejected'] as const;
export type PermanentFailureType = (typeof PERMANENT_FAILURE_TYPES)[number];

export const isPermanentFailureType = (type: string | undefined): type is PermanentFailureType =>
  (PERMANENT_FAILURE_TYPES as readonly (string | undefined)[]).includes(type);

export type Verdict = 'permanent' | 'retryable';

/**
 * `atSend`: when `messages.create` fails with the code (a permanent one names the failure
 * type it raises); `atDelivery`: when a status callback reports it as the `ErrorCode` of a
 * failed or undelivered message; `twilioSays`: Twilio's error dictionary, in short
 * (https://www.twilio.com/docs/api/errors/<code>).
 */
type TwilioErrorRule = { atDelivery: Verdict; twilioSays: string } & (
  { atSend: 'permanent'; type: PermanentFailureType } | { atSend: 'retryable' }
);

/**
 * Twilio error codes with their verdict in each phase. A code means the same thing whichever
 * way it reaches us, so both phases agree for every code listed; the phases differ only for
 * codes not listed: at send time the HTTP status decides (below), at delivery they are retried.
 * Retrying a permanent failure sends the same text to the same number again for nothing (and,
 * after an opt-out, against the customer's wish); retrying a transient one is what the backoff
 * is for.
 */
export const TWILIO_ERROR_CODES = {
  '21211': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'InvalidRecipient',
    twilioSays: "Invalid 'To' Phone Number: not a valid phone number or incorrectly formatted (E.164)",
  },
  '21212': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'RequestRejected',
    twilioSays: "Invalid 'From' number: a number-validation error of our sender (changelog 2024-07-10, number validation errors)",
  },
  '21408': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'InvalidRecipient',
    twilioSays: 'Message blocked: the destination is disabled in Messaging Geo Permissions, or not supported for the channel',
  },
  '21610': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'RecipientOptedOut',
    twilioSays: 'Attempt to send to unsubscribed recipient: cannot send until the recipient replies START',
  },
  '21612': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'InvalidRecipient',
    twilioSays: "Message cannot be sent with the current combination of 'To' and 'From' parameters",
  },
  '21614': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'InvalidRecipient',
    twilioSays: "'To' number is not a valid mobile number: likely a landline or an invalid number",
  },
  '30001': {
    atSend: 'retryable',
    atDelivery: 'retryable',
    twilioSays: 'Queue overflow: too many messages too quickly; the queue drains at the sender rate',
  },
  '30002': {
    atSend: 'retryable',
    atDelivery: 'retryable',
    twilioSays: 'Account suspended after the message was queued; resolve the account, then retry',
  },
  '30003': {
    atSend: 'retryable',
    atDelivery: 'retryable',
    twilioSays: 'Unreachable destination handset (off, no signal); a one-time downstream issue can be transient: retry',
  },
  '30004': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'InvalidRecipient',
    twilioSays: 'Message blocked: the destination is blocked from receiving this message (e.g. the recipient opted out)',
  },
  '30005': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'InvalidRecipient',
    twilioSays: 'Unknown destination handset: the number is unknown and may no longer exist',
  },
  '30006': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'InvalidRecipient',
    twilioSays: 'Landline or unreachable carrier: do not retry the same SMS to that destination',
  },
  '30007': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'RequestRejected',
    twilioSays: 'Message filtered (blocked) by Twilio or the carrier as spam or against policy; the same text is filtered again',
  },
  '30008': {
    atSend: 'retryable',
    atDelivery: 'retryable',
    twilioSays: 'Unknown error: delivery failed for unknown reasons',
  },
  '30010': {
    atSend: 'permanent',
    atDelivery: 'permanent',
    type: 'RequestRejected',
    twilioSays: 'Message price exceeds MaxPrice (now obsolete): the same message costs the same again',
  },
} as const satisfies Record<string, TwilioErrorRule>;

export type TwilioErrorCode = keyof typeof TWILIO_ERROR_CODES;

function twilioRule(code: string | number | undefined): TwilioErrorRule | undefined {
  if (code === undefined) return undefined;
  const key = String(code);
  return Object.hasOwn(TWILIO_ERROR_CODES, key) ? TWILIO_ERROR_CODES[key as TwilioErrorCode] : undefined;
}

/**
 * A provider answered the request itself with this HTTP status. 4xx means the request is
 * wrong and will be refused again, except 408 (timeout) and 429 (rate limit), which pass.
 * Shared by the Twilio and LiveKit classifiers.
 */
export function isPermanentHttpStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export type FailureVerdict = { permanent: false } | { permanent: true; type: PermanentFailureType };

const RETRYABLE: FailureVerdict = { permanent: false };

/** A provider refused the request with this HTTP status (LiveKit, or Twilio without a known code). */
export function httpFailureVerdict(status: number | undefined): FailureVerdict {
  return isPermanentHttpStatus(status) ? { permanent: true, type: 'RequestRejected' } : RETRYABLE;
}

/** `messages.create` failed: a listed code decides; otherwise the HTTP status does. */
export function twilioSendVerdict(failure: { status?: number; code?: number | string }): FailureVerdict {
  const rule = twilioRule(failure.code);
  if (rule) return rule.atSend === 'permanent' ? { permanent: true, type: rule.type } : RETRYABLE;
  return httpFailureVerdict(failure.status);
}

/** A status callback reported this `ErrorCode` (exactly as sent) on a failed or undelivered message. */
export function isPermanentDeliveryError(errorCode: string | undefined): boolean {
  return twilioRule(errorCode)?.atDelivery === 'permanent';
}
