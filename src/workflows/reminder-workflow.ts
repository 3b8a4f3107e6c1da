import {
  CancellationScope,
  condition,
  log,
  patched,
  proxyActivities,
  sleep,
  setHandler,
  upsertSearchAttributes,
  setCurrentDetails,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import { deliveryActivityOptions, projectionActivityOptions } from '../activities/options';
import type { ReminderActivities } from '../activities/types';
import { initialReminderState } from '../domain/initial-state';
import { CALL_DURATION_EXCEEDED_REASON, CALL_TIMEOUT_REASON, SMS_TIMEOUT_REASON, type ReminderState } from '../domain/reminder';
import { isAwaitingReport, isTerminal, transition, type ReminderEvent } from '../domain/status-machine';
import { describeAttemptFailure } from './attempt-failure';
import {
  callEventSignal,
  cancelReminderUpdate,
  reminderQuery,
  reminderWorkflowId,
  rescheduleReminderUpdate,
  retryNowUpdate,
  smsStatusSignal,
  type ReminderSnapshot,
  type ReminderWorkflowInput,
} from './definitions';
import { currentDetails, searchAttributeUpdates } from './operator-view';

const delivery = proxyActivities<Pick<ReminderActivities, 'sendSms' | 'dispatchCall'>>(deliveryActivityOptions);
const projection = proxyActivities<Pick<ReminderActivities, 'saveProjection'>>(projectionActivityOptions);

const durationMs = (duration: string) => msToNumber(duration as Duration);

/**
 * Patch: wait for an attempt's reports on one timer per wait (response, then call duration)
 * instead of a new timer after every report. Fewer timers, fewer billable actions. Workflows
 * started before it replay the old loop (see test/replay/histories/v1).
 */
export const ONE_TIMER_PER_WAIT_PATCH = 'one-timer-per-wait';

/**
 * Patch: the API records a new reminder (no pending write here), the delivery activity
 * records the dispatched attempt, and waits use one timer each (so this path never asks for
 * ONE_TIMER_PER_WAIT_PATCH). Two writes and a marker check fewer per reminder: the SMS
 * happy path drops from 12 billable actions to 7 (the TemporalChangeVersion upsert the SDK
 * writes for this patch is not billed).
 * Workflows started before it replay the old shapes (test/replay/histories/v1, v2).
 */
export const RECORD_ON_DISPATCH_PATCH = 'record-on-dispatch';

/** A webhook event waiting to be applied, with what tells us which attempt it belongs to. */
interface InboxEntry {
  event: ReminderEvent;
  attempt?: number;
  messageSid?: string;
}

/**
 * One payment reminder, from creation to a terminal status. Every status change goes
 * through the pure status machine; the MongoDB projection is written by an activity after
 * each change. Webhooks arrive as signals and wait in the inbox until the attempt they
 * belong to is dispatched (Twilio may call back before sendSms returns).
 */
export async function reminderWorkflow(input: ReminderWorkflowInput): Promise<ReminderState> {
  const now = () => new Date().toISOString();
  let state: ReminderState = { ...initialReminderState(input, input.createdAt), nextAttemptAt: input.sendAt };
  let persistedVersion = 0;
  const inbox: InboxEntry[] = [];

  const apply = (event: ReminderEvent, at = now()): void => {
    const before = state;
    const result = transition(state, event, at);
    if (!result.changed) {
      log.info('event ignored', { event: event.type, reason: result.ignored });
      return;
    }
    state = result.state;
    if (before.status !== state.status) {
      log.info('reminder status changed', { from: before.status, to: state.status, attempt: state.attempt, reason: state.skipReason });
    }
    const updates = searchAttributeUpdates(before, state);
    if (updates.length > 0) upsertSearchAttributes(updates);
    setCurrentDetails(currentDetails(input, state));
  };

  const { timings: _timings, maxAttempts: _maxAttempts, ...details } = input;
  const snapshotOf = (of: ReminderState): ReminderSnapshot => ({ ...details, ...of, workflowId: reminderWorkflowId(input.reminderId) });
  const snapshot = (): ReminderSnapshot => snapshotOf(state);

  const persist = async (): Promise<void> => {
    if (state.version === persistedVersion) return;
    const written = snapshot();
    await projection.saveProjection.executeWithOptions({ summary: `record ${written.status} (v${written.version})` }, [written]);
    persistedVersion = Math.max(persistedVersion, written.version);
  };

  setHandler(reminderQuery, snapshot);
  setHandler(smsStatusSignal, ({ messageSid, messageStatus, errorCode, attempt }) => {
    inbox.push({ event: { type: 'sms_status', messageStatus, errorCode }, attempt, messageSid });
  });
  setHandler(callEventSignal, ({ eventType, outcome, attempt }) => {
    const event: ReminderEvent =
      eventType === 'call_answered' ? { type: 'call_answered' }
      : eventType === 'call_completed' && outcome ? { type: 'call_completed', outcome }
      : { type: 'call_failed', outcome };
    inbox.push({ event, attempt });
  });
  setHandler(cancelReminderUpdate, ({ reason }) => {
    apply({ type: 'cancelled', reason: reason?.trim() || 'Cancelled by request' });
    return state;
  }, {
    validator: (_request) => {
      if (isTerminal(state)) throw new Error(`reminder is already ${state.status}`);
    },
  });
  setHandler(rescheduleReminderUpdate, ({ at }) => {
    apply({ type: 'rescheduled', nextAttemptAt: new Date(at).toISOString() });
    return state;
  }, {
    validator: ({ at }) => {
      if (state.status !== 'pending') throw new Error(`only a pending reminder can be rescheduled (it is ${state.status})`);
      if (Number.isNaN(Date.parse(at))) throw new Error(`"${at}" is not an ISO timestamp`);
    },
  });
  setHandler(retryNowUpdate, () => {
    apply({ type: 'rescheduled', nextAttemptAt: now() });
    return state;
  }, {
    validator: () => {
      if (state.status !== 'pending') throw new Error(`only a pending reminder can be retried now (it is ${state.status})`);
    },
  });

  /** Sleeps until the next attempt is due; an operator's reschedule or cancel wakes it. */
  const waitUntilDue = async (): Promise<void> => {
    while (state.status === 'pending' && state.nextAttemptAt) {
      const remaining = Date.parse(state.nextAttemptAt) - Date.now();
      if (remaining <= 0) return;
      const version = state.version;
      await condition(() => state.version !== version, remaining, {
        summary: `attempt ${state.attempt + 1} of ${state.maxAttempts} due at ${state.nextAttemptAt}`,
      });
    }
  };

  /** Sends the attempt; with a record, the activity also writes it to the projection. */
  const dispatch = async (attempt: number, record?: ReminderSnapshot): Promise<{ externalId: string; recorded: boolean }> => {
    if (input.channel === 'sms') {
      const { messageSid, recorded } = await delivery.sendSms.executeWithOptions(
        { summary: `send SMS, attempt ${attempt}` },
        [{ reminderId: input.reminderId, attempt, to: input.customer.phone, body: input.message, record }],
      );
      return { externalId: messageSid, recorded: recorded === true };
    }
    const { externalId, recorded } = await delivery.dispatchCall.executeWithOptions({ summary: `dispatch voice agent, attempt ${attempt}` }, [{
      reminderId: input.reminderId,
      attempt,
      phone: input.customer.phone,
      customerName: input.customer.name,
      amountDue: `${input.payment.amount.toFixed(2)} ${input.payment.currency}`,
      dueDate: input.payment.dueDate,
      reference: input.payment.reference,
      message: input.message,
      record,
    }]);
    return { externalId, recorded: recorded === true };
  };

  /** Applies the waiting webhook events that belong to the attempt under way. */
  const drainInbox = (): void => {
    for (const entry of inbox.splice(0)) {
      if (entry.attempt !== undefined && entry.attempt !== state.attempt) {
        log.info('event for another attempt ignored', { event: entry.event.type, eventAttempt: entry.attempt });
      } else if (entry.messageSid !== undefined && entry.messageSid !== state.externalId) {
        log.info('SMS status for another message ignored', { messageStatus: entry.event.type });
      } else {
        apply(entry.event);
      }
    }
  };

  /** Before ONE_TIMER_PER_WAIT_PATCH: a new timer each time a report arrives. Retire once no v1 history is in flight. */
  const awaitReportsWithTimerPerReport = async (dispatchedAt: number): Promise<void> => {
    let deadline = dispatchedAt + durationMs(input.timings.responseTimeout);
    let answered = false;
    while (isAwaitingReport(state)) {
      const waiting = answered ? `call in progress, up to ${input.timings.maxCallDuration}` : `waiting up to ${input.timings.responseTimeout} for ${input.channel === 'sms' ? 'the delivery report' : 'the agent'}`;
      const heard = await condition(() => inbox.length > 0 || !isAwaitingReport(state), Math.max(deadline - Date.now(), 1), { summary: waiting });
      if (!heard) {
        const reason = input.channel === 'sms' ? SMS_TIMEOUT_REASON : answered ? CALL_DURATION_EXCEEDED_REASON : CALL_TIMEOUT_REASON;
        log.warn('no report in time', { reason, attempt: state.attempt });
        apply({ type: 'timed_out', reason });
        break;
      }
      drainInbox();
      if (!answered && state.status === 'processing') {
        answered = true;
        deadline = Date.now() + durationMs(input.timings.maxCallDuration);
      }
      await persist();
    }
  };

  /**
   * Waits until `deadline` on a single timer, applying reports as they arrive, until the
   * phase is over ('over') or the deadline passes first ('expired').
   */
  const awaitPhase = async (deadline: number, summary: string, phaseOver: () => boolean): Promise<'over' | 'expired'> => {
    let expired = false;
    const timerScope = new CancellationScope();
    timerScope.run(() => sleep(Math.max(deadline - Date.now(), 1), { summary })).then(
      () => void (expired = true),
      () => undefined, // cancelled because the phase ended first
    );
    try {
      for (;;) {
        await condition(() => expired || inbox.length > 0 || phaseOver());
        drainInbox(); // a report that arrived together with the deadline still counts
        if (phaseOver()) return 'over';
        if (expired) return 'expired';
        await persist();
      }
    } finally {
      if (!expired) timerScope.cancel();
    }
  };

  const timeOut = (reason: string) => {
    log.warn('no report in time', { reason, attempt: state.attempt });
    apply({ type: 'timed_out', reason });
  };

  /** Waits for the reports of one attempt; these timers replace the old cron monitor. */
  const awaitReportsWithOneTimerPerWait = async (dispatchedAt: number): Promise<void> => {
    const waitingFor = input.channel === 'sms' ? 'the delivery report' : 'the agent';
    const response = await awaitPhase(
      dispatchedAt + durationMs(input.timings.responseTimeout),
      `waiting up to ${input.timings.responseTimeout} for ${waitingFor}`,
      () => !isAwaitingReport(state) || state.status === 'processing',
    );
    if (response === 'expired') return timeOut(input.channel === 'sms' ? SMS_TIMEOUT_REASON : CALL_TIMEOUT_REASON);
    if (state.status !== 'processing') return;
    await persist();
    const call = await awaitPhase(
      Date.now() + durationMs(input.timings.maxCallDuration),
      `call in progress, up to ${input.timings.maxCallDuration}`,
      () => !isAwaitingReport(state),
    );
    if (call === 'expired') timeOut(CALL_DURATION_EXCEEDED_REASON);
  };

  // Decided once, in the first workflow task, so every later choice replays the same way.
  const recordsOnDispatch = patched(RECORD_ON_DISPATCH_PATCH);

  const awaitReports = (dispatchedAt: number): Promise<void> =>
    recordsOnDispatch || patched(ONE_TIMER_PER_WAIT_PATCH) ? awaitReportsWithOneTimerPerWait(dispatchedAt) : awaitReportsWithTimerPerReport(dispatchedAt);

  /**
   * Sends the attempt and applies the dispatch. The activity records the state the dispatch
   * leads to, at the version it will have here; if the reminder changed meanwhile (an
   * operator cancelled it), that record is not our state, so our version moves past it.
   */
  const dispatchAndApply = async (attempt: number): Promise<void> => {
    if (!recordsOnDispatch) {
      apply({ type: 'dispatched', attempt, externalId: (await dispatch(attempt)).externalId });
      return;
    }
    const at = now();
    const versionBefore = state.version;
    const expected = transition(state, { type: 'dispatched', attempt, externalId: '' }, at).state;
    const { externalId, recorded } = await dispatch(attempt, snapshotOf(expected));
    if (state.version === versionBefore) {
      apply({ type: 'dispatched', attempt, externalId }, at);
      if (recorded) persistedVersion = state.version;
    } else {
      apply({ type: 'dispatched', attempt, externalId });
      state = { ...state, version: Math.max(state.version, expected.version) + 1 };
    }
  };

  const runAttempt = async (attempt: number): Promise<void> => {
    inbox.length = 0; // whatever arrived between attempts belongs to an earlier one
    let dispatchedAt: number;
    try {
      await dispatchAndApply(attempt);
      dispatchedAt = Date.now();
    } catch (error) {
      const failure = describeAttemptFailure(error);
      log.warn('attempt could not be sent', { attempt, reason: failure.reason, permanent: failure.permanent });
      apply({ type: 'send_failed', attempt, ...failure });
      return;
    }
    drainInbox();
    await persist();
    await awaitReports(dispatchedAt);
  };

  if (!recordsOnDispatch) await persist(); // the API has recorded the new reminder
  while (!isTerminal(state)) {
    if (state.status === 'pending') {
      await waitUntilDue();
      if (state.status === 'pending') await runAttempt(state.attempt + 1);
    } else if (state.status === 'failed') {
      const nextAttemptAt = new Date(Date.now() + durationMs(input.timings.retryBackoff)).toISOString();
      apply({ type: 'retry_scheduled', nextAttemptAt });
    }
    await persist();
  }
  await persist();
  log.info('reminder finished', { status: state.status, attempt: state.attempt, reason: state.skipReason });
  return state;
}
