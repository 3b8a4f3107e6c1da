import { decideCallOutcome } from './call-outcome';
import { isPermanentDeliveryError } from './failure-policy';
import type { CallOutcome, ReminderState, ReminderStatus, SmsDeliveryStatus } from './reminder';

/**
 * The reminder status machine, the one place that decides how a reminder moves:
 *
 *   pending ─dispatched→ in_progress ─call_answered→ processing ─call_completed→ completed
 *      ↑                      │  └─ sms delivered ─────────────────────────────→ completed
 *      └─ retry_scheduled ── failed ←─ timeout, call_failed, sms failed/undelivered,
 *                                       send failed, a call outcome that calls for a retry
 *   any non-terminal ─cancelled→ cancelled
 *
 * `completed` and `cancelled` are terminal; `failed` is terminal once no retry is left
 * (permanent failure or maxAttempts reached). Nothing moves a terminal reminder, so late,
 * duplicated and out-of-order webhooks are ignored rather than applied.
 */
export type ReminderEvent =
  | { type: 'dispatched'; attempt: number; externalId: string }
  | { type: 'send_failed'; attempt: number; reason: string; errorCode?: string; permanent: boolean }
  | { type: 'sms_status'; messageStatus: SmsDeliveryStatus; errorCode?: string }
  | { type: 'call_answered' }
  | { type: 'call_completed'; outcome: CallOutcome }
  | { type: 'call_failed'; outcome?: CallOutcome }
  | { type: 'timed_out'; reason: string }
  | { type: 'retry_scheduled'; nextAttemptAt: string }
  | { type: 'rescheduled'; nextAttemptAt: string }
  /** The contact policy said not now (outside the window, over a cap): wait until `nextAttemptAt`. */
  | { type: 'deferred'; nextAttemptAt: string; reason: string }
  | { type: 'cancelled'; reason: string };

export interface TransitionResult {
  state: ReminderState;
  changed: boolean;
  /** Why an event was not applied (for logs and the webhook's answer). */
  ignored?: string;
}

/**
 * Every status change `transition` can make, as data (each history entry is one of these),
 * for readers that check a history from outside: the chaos invariants. A test derives the
 * same graph from `transition` itself, so the two cannot drift apart.
 */
export const STATUS_GRAPH: Readonly<Record<ReminderStatus, readonly ReminderStatus[]>> = {
  pending: ['in_progress', 'failed', 'pending', 'cancelled'],
  in_progress: ['processing', 'completed', 'failed', 'cancelled'],
  processing: ['completed', 'failed', 'cancelled'],
  failed: ['pending', 'cancelled'],
  completed: [],
  cancelled: [],
};

export const isAllowedStep = (from: ReminderStatus, to: ReminderStatus): boolean => STATUS_GRAPH[from].includes(to);

/** What decides whether a reminder can still move (the projection has it too). */
export type ProgressFacts = Pick<ReminderState, 'status' | 'attempt' | 'maxAttempts' | 'permanentFailure'>;

export function isTerminal(state: ProgressFacts): boolean {
  return state.status === 'completed' || state.status === 'cancelled' || (state.status === 'failed' && !canRetry(state));
}

export function canRetry(state: ProgressFacts): boolean {
  return state.status === 'failed' && !state.permanentFailure && state.attempt < state.maxAttempts;
}

/** An attempt is out with the customer: a webhook (or the timeout) decides how it ends. */
export function isAwaitingReport(state: ProgressFacts): boolean {
  return state.status === 'in_progress' || state.status === 'processing';
}

const SMS_PROGRESS_RANK: Record<SmsDeliveryStatus, number> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
};

export function transition(state: ReminderState, event: ReminderEvent, at: string): TransitionResult {
  const ignore = (why: string): TransitionResult => ({ state, changed: false, ignored: why });
  if (isTerminal(state)) return ignore(`reminder already ${state.status}`);

  const move = (status: ReminderStatus, changes: Partial<ReminderState>, reason?: string): TransitionResult => {
    const attempt = changes.attempt ?? state.attempt;
    const entry = { status, attempt, at, ...(reason === undefined ? {} : { reason }) };
    return {
      state: { ...state, ...changes, status, version: state.version + 1, history: [...state.history, entry] },
      changed: true,
    };
  };
  const fail = (reason: string, changes: Partial<ReminderState> = {}, permanent = false) =>
    move('failed', { ...changes, skipReason: reason, permanentFailure: permanent }, permanent ? `${reason} (permanent)` : reason);

  switch (event.type) {
    case 'dispatched':
      if (state.status !== 'pending') return ignore(`cannot dispatch a reminder that is ${state.status}`);
      return move('in_progress', {
        attempt: event.attempt,
        externalId: event.externalId,
        deliveryStatus: undefined,
        callOutcome: undefined,
        errorCode: undefined,
        skipReason: undefined,
        nextAttemptAt: undefined,
        waitingReason: undefined,
      });

    case 'send_failed':
      if (state.status !== 'pending') return ignore(`no send is under way (status ${state.status})`);
      return fail(event.reason, { attempt: event.attempt, errorCode: event.errorCode }, event.permanent);

    case 'sms_status': {
      if (state.channel !== 'sms') return ignore('an SMS status for a call reminder');
      if (state.status !== 'in_progress') return ignore(`no SMS is under way (status ${state.status})`);
      const status = event.messageStatus;
      if (status === 'delivered') return move('completed', { deliveryStatus: status });
      if (status === 'failed' || status === 'undelivered') {
        const reason = `SMS ${status}${event.errorCode ? ` (Twilio error ${event.errorCode})` : ''}`;
        return fail(reason, { deliveryStatus: status, errorCode: event.errorCode }, isPermanentDeliveryError(event.errorCode));
      }
      const current = state.deliveryStatus ? SMS_PROGRESS_RANK[state.deliveryStatus] : 0;
      if (SMS_PROGRESS_RANK[status] <= current) return ignore(`delivery status ${status} is not newer than ${state.deliveryStatus}`);
      return { state: { ...state, deliveryStatus: status, version: state.version + 1 }, changed: true };
    }

    case 'call_answered':
      if (state.channel !== 'call') return ignore('a call event for an SMS reminder');
      if (state.status !== 'in_progress') return ignore(`call_answered while ${state.status}`);
      return move('processing', {});

    case 'call_completed': {
      if (state.channel !== 'call') return ignore('a call event for an SMS reminder');
      if (!isAwaitingReport(state)) return ignore(`call_completed while ${state.status}`);
      if (decideCallOutcome(event.outcome) === 'done') return move('completed', { callOutcome: event.outcome });
      return fail(`Call outcome requires a retry: ${event.outcome.customer_response}`, { callOutcome: event.outcome });
    }

    case 'call_failed': {
      if (state.channel !== 'call') return ignore('a call event for an SMS reminder');
      if (!isAwaitingReport(state)) return ignore(`call_failed while ${state.status}`);
      const detail = event.outcome?.notes || event.outcome?.customer_response || 'no details';
      return fail(`Call failed: ${detail}`, { callOutcome: event.outcome });
    }

    case 'timed_out':
      if (!isAwaitingReport(state)) return ignore(`timeout while ${state.status}`);
      return fail(event.reason);

    case 'retry_scheduled':
      if (!canRetry(state)) return ignore('no retry left');
      return move(
        'pending',
        { nextAttemptAt: event.nextAttemptAt, waitingReason: undefined },
        `attempt ${state.attempt + 1} of ${state.maxAttempts} at ${event.nextAttemptAt}`,
      );

    case 'rescheduled':
      if (state.status !== 'pending') return ignore(`only a pending reminder can be rescheduled (status ${state.status})`);
      return move('pending', { nextAttemptAt: event.nextAttemptAt, waitingReason: undefined }, `rescheduled to ${event.nextAttemptAt}`);

    case 'deferred':
      if (state.status !== 'pending') return ignore(`only a pending reminder can be deferred (status ${state.status})`);
      return move('pending', { nextAttemptAt: event.nextAttemptAt, waitingReason: event.reason }, `deferred: ${event.reason}`);

    case 'cancelled':
      return move('cancelled', { skipReason: event.reason, nextAttemptAt: undefined, waitingReason: undefined }, event.reason);
  }
}
