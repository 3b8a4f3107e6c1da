// The contract between the API and the reminder workflow: ids, input, signals, queries and
// updates, defined once and imported by both sides. Side-effect free, so the workflow
// sandbox can load it.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { initialReminderState } from '../domain/initial-state';
import type { CallOutcome, Channel, Customer, Payment, ReminderState, SmsDeliveryStatus } from '../domain/reminder';

export const reminderWorkflowId = (reminderId: string) => `reminder-${reminderId}`;
export const REMINDER_WORKFLOW_TYPE = 'reminderWorkflow';

/** Timing decided when the reminder starts, so a config change never alters a running one. */
export interface ReminderTimings {
  /** How long an attempt waits for its first report (guide: 10 minutes). */
  responseTimeout: string;
  /** How long an answered call may last before we stop waiting for call_completed. */
  maxCallDuration: string;
  /** Wait between a failed attempt and the next one. */
  retryBackoff: string;
}

export interface ReminderDetails {
  reminderId: string;
  channel: Channel;
  customer: Customer;
  payment: Payment;
  /** The SMS text, or what the voice agent should convey. */
  message: string;
  /** ISO timestamp of the first attempt; absent means now. */
  sendAt?: string;
  /** ISO timestamp the API accepted the request. */
  createdAt: string;
  /** Hash of the create request, to tell a true retry from a reused Idempotency-Key. */
  requestFingerprint: string;
  /** Set when the reminder is a step of an invoice plan: the send activity confirms the invoice is still owed. */
  invoice?: { reference: string };
}

export interface ReminderWorkflowInput extends ReminderDetails {
  maxAttempts: number;
  timings: ReminderTimings;
  /**
   * Set by a plan that starts each step's reminder when the step is due (from release 1.3.0):
   * the reminder's first record is the one its first contact decision writes, moments after
   * it starts, so it writes none before. A 1.2.0 plan's step, started days ahead, has no flag.
   */
  startedWhenDue?: true;
}

/** The full picture of a reminder: its details and its current state. */
export interface ReminderSnapshot extends ReminderDetails, ReminderState {
  workflowId: string;
}

/** The one way to build a snapshot, for the workflow's writes and queries and the API's first record. */
export function reminderSnapshot(input: ReminderWorkflowInput, state: ReminderState): ReminderSnapshot {
  const { timings: _timings, maxAttempts: _maxAttempts, ...details } = input;
  return { ...details, ...state, workflowId: reminderWorkflowId(input.reminderId) };
}

/** A new reminder's state: pending, its first attempt due at `sendAt` (or now). */
export function newReminderState(input: ReminderWorkflowInput): ReminderState {
  return { ...initialReminderState(input, input.createdAt), nextAttemptAt: input.sendAt };
}

/** A Twilio status callback, as the webhook hands it to the workflow. */
export interface SmsStatusSignal {
  messageSid: string;
  messageStatus: SmsDeliveryStatus;
  errorCode?: string;
  /** The attempt whose callback URL Twilio called, when known. */
  attempt?: number;
}

/** A voice agent event (guide: call_answered, call_completed, call_failed). */
export interface CallEventSignal {
  eventType: 'call_answered' | 'call_completed' | 'call_failed';
  outcome?: CallOutcome;
  /** The attempt the agent was dispatched for, when it says so; stale attempts are ignored. */
  attempt?: number;
}

/**
 * The invoice plan's word to one of its reminders (the invoice was paid, or the plan was
 * paused or cancelled): a waiting reminder ends `cancelled` with this reason; an attempt
 * already out is not interrupted (a customer on the phone is not hung up on), and no
 * further attempt follows it.
 */
export interface StopReminderSignal {
  reason: string;
}

export const stopReminderSignal = defineSignal<[StopReminderSignal]>('stop');
export const smsStatusSignal = defineSignal<[SmsStatusSignal]>('smsStatus');
export const callEventSignal = defineSignal<[CallEventSignal]>('callEvent');
/** The reminder as the projection shows it, read from the workflow itself. */
export const reminderQuery = defineQuery<ReminderSnapshot>('reminder');

/** Operator actions: each rejects (validator) when it does not apply to the reminder's state. */
export const cancelReminderUpdate = defineUpdate<ReminderState, [{ reason?: string }]>('cancel');
export const rescheduleReminderUpdate = defineUpdate<ReminderState, [{ at: string }]>('reschedule');
export const retryNowUpdate = defineUpdate<ReminderState, []>('retryNow');
