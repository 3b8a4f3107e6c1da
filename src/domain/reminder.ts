// The reminder's vocabulary, shared by the workflow, the API and the projection.
// Pure types and constants: no Temporal, Koa or MongoDB import, so the workflow sandbox can load it.

export const CHANNELS = ['sms', 'call'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The statuses of the original system (webhook configuration guide), plus `cancelled`. */
export const REMINDER_STATUSES = ['pending', 'in_progress', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export interface Customer {
  id: string;
  name: string;
  /** E.164, e.g. +14155550123. */
  phone: string;
  /** IANA zone the customer says they live in. */
  timezone?: string;
  /** Where the customer lives, when known: one more source of the zones they may be in. */
  region?: Region;
}

/** ISO 3166-1 alpha-2 country, and ISO 3166-2 subdivision (e.g. `US-CA`) when known. */
export interface Region {
  country: string;
  subdivision?: string;
}

export interface Payment {
  /** In major units (12.5 = 12.50), as the voice agent says it. */
  amount: number;
  /** ISO 4217, e.g. USD. */
  currency: string;
  /** ISO date, e.g. 2026-12-01. */
  dueDate: string;
  /** The invoice or account reference the customer knows. */
  reference: string;
}

/** What the voice agent reports when a call ends (guide: `outcome`). Field names as on the wire. */
export interface CallOutcome {
  connected: boolean;
  duration: number;
  customer_response: string;
  notes?: string;
  /** With customer_response `promise_to_pay`: the ISO date the customer promised to pay by. */
  promised_date?: string;
  /** With a promise: the amount promised, when less than the whole. */
  promised_amount?: number;
}

/** Twilio message statuses our webhook understands; others are ignored safely. */
export const SMS_DELIVERY_STATUSES = ['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed'] as const;
export type SmsDeliveryStatus = (typeof SMS_DELIVERY_STATUSES)[number];

/**
 * The statuses after which Twilio reports nothing more about a message. Only these decide a
 * reminder; the others (queued, sent, …) are in transit and change nothing the workflow does.
 */
export const FINAL_SMS_STATUSES = ['delivered', 'undelivered', 'failed'] as const satisfies readonly SmsDeliveryStatus[];
export const isFinalSmsStatus = (status: SmsDeliveryStatus): boolean => (FINAL_SMS_STATUSES as readonly string[]).includes(status);

export interface HistoryEntry {
  status: ReminderStatus;
  attempt: number;
  /** ISO timestamp (workflow time). */
  at: string;
  reason?: string;
}

/** Everything the workflow knows about one reminder; the MongoDB projection mirrors it. */
export interface ReminderState {
  reminderId: string;
  channel: Channel;
  status: ReminderStatus;
  attempt: number;
  maxAttempts: number;
  externalId?: string;
  deliveryStatus?: SmsDeliveryStatus;
  callOutcome?: CallOutcome;
  skipReason?: string;
  errorCode?: string;
  /** A failure that no retry can fix (opted out, invalid number): no further attempt. */
  permanentFailure?: boolean;
  /** ISO timestamp of the next scheduled attempt while `pending`. */
  nextAttemptAt?: string;
  /** Why a pending reminder waits, when the contact policy deferred it (for people). */
  waitingReason?: string;
  history: HistoryEntry[];
  /** Incremented on every change; orders the projection writes. */
  version: number;
}

export const CALL_TIMEOUT_REASON = 'Call timeout - no agent response';
export const SMS_TIMEOUT_REASON = 'SMS timeout - no delivery report from Twilio';
export const CALL_DURATION_EXCEEDED_REASON = 'Call exceeded maximum duration - no completion report';
