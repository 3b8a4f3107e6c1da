// What the workflow asks of the outside world. Types only: the workflow imports these as
// types, never the implementations (which do I/O).
import type { ReminderSnapshot } from '../workflows/definitions';

/**
 * The projection a delivery activity writes once the attempt is out: the workflow's state
 * after the dispatch, all but the external id, which only the provider's answer gives.
 */
export interface DispatchRecord {
  record?: ReminderSnapshot;
}

export interface SendSmsRequest extends DispatchRecord {
  reminderId: string;
  attempt: number;
  to: string;
  body: string;
}

export interface DispatchCallRequest extends DispatchRecord {
  reminderId: string;
  attempt: number;
  phone: string;
  customerName: string;
  /** e.g. "120.50 USD", as the agent should say it. */
  amountDue: string;
  dueDate: string;
  reference: string;
  message: string;
}

export interface ReminderActivities {
  saveProjection(projection: ReminderSnapshot): Promise<void>;
  /** `recorded`: whether the request's record was written (with the message SID). */
  sendSms(request: SendSmsRequest): Promise<{ messageSid: string; recorded?: boolean }>;
  /** `recorded`: whether the request's record was written (with the room name). */
  dispatchCall(request: DispatchCallRequest): Promise<{ externalId: string; recorded?: boolean }>;
}

/**
 * Failure types an activity raises as non-retryable: the attempt fails at once with the
 * reason, and (for the permanent ones) no further attempt is scheduled.
 */
export const PERMANENT_FAILURE_TYPES = ['InvalidRecipient', 'RecipientOptedOut', 'RequestRejected'] as const;
