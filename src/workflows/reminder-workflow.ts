import { condition, log } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import { CALL_DURATION_EXCEEDED_REASON, CALL_TIMEOUT_REASON, SMS_TIMEOUT_REASON, type ReminderState } from '../domain/reminder';
import { isAwaitingReport, isTerminal } from '../domain/status-machine';
import { describeAttemptFailure } from './attempt-failure';
import type { ContactRefused } from '../activities/types';
import type { ReminderWorkflowInput } from './definitions';
import { sendAttempt } from './delivery';
import { registerHandlers } from './handlers';
import { Inbox } from './inbox';
import { PhaseTimer } from './phase-timer';
import { ProjectionWriter } from './projection-writer';
import { TrackedReminder } from './tracked-reminder';

const durationMs = (duration: string) => msToNumber(duration as Duration);

/**
 * One payment reminder, from creation to a terminal status: wait until the attempt is due,
 * send it, wait for its reports on a timer (which replaces the old cron monitor), retry
 * after a backoff while the status machine allows, and keep the MongoDB projection in step.
 */
export async function reminderWorkflow(input: ReminderWorkflowInput): Promise<ReminderState> {
  const reminder = new TrackedReminder(input);
  const inbox = new Inbox();
  const projection = new ProjectionWriter(reminder);
  registerHandlers(reminder, inbox);
  // A 1.2.0 plan's step has no first record from the API and waits days for its instant, so it
  // writes its own first. No patched(): the input decides (CHANGELOG 1.2.0 and 1.3.0 say why).
  if (input.invoice && !input.startedWhenDue) await projection.write();

  while (!isTerminal(reminder.state)) {
    if (reminder.stopReason) {
      // The plan stopped it while an attempt was out: no retry, no deferred attempt follows.
      // No patched(): only a `stop` signal sets stopReason, and no released history has one.
      reminder.apply({ type: 'cancelled', reason: reminder.stopReason });
    } else if (reminder.state.status === 'pending') {
      await waitUntilDue(reminder);
      if (reminder.state.status === 'pending') await runAttempt(reminder.state.attempt + 1);
    } else if (reminder.state.status === 'failed') {
      const nextAttemptAt = new Date(Date.now() + durationMs(input.timings.retryBackoff)).toISOString();
      reminder.apply({ type: 'retry_scheduled', nextAttemptAt });
    }
    await projection.write();
  }
  await projection.write();
  log.info('reminder finished', { status: reminder.state.status, attempt: reminder.state.attempt, reason: reminder.state.skipReason });
  return reminder.state;

  async function runAttempt(attempt: number): Promise<void> {
    inbox.clear();
    try {
      const refusal = await projection.sendRecorded(attempt, (record) => reminder.whileSending(() => sendAttempt(input, attempt, record)));
      if (refusal) return applyRefusal(refusal);
    } catch (error) {
      const failure = describeAttemptFailure(error);
      log.warn('attempt could not be sent', { attempt, reason: failure.reason, permanent: failure.permanent });
      reminder.apply({ type: 'send_failed', attempt, ...failure });
      return;
    }
    const dispatchedAt = Date.now();
    inbox.applyTo(reminder); // reports that arrived before the send returned
    await projection.write();
    await awaitReports(dispatchedAt);
  }

  /** The attempt's reports: the first one within the response timeout, then (for an answered call) its end. */
  async function awaitReports(dispatchedAt: number): Promise<void> {
    const { responseTimeout, maxCallDuration } = input.timings;
    const response = await awaitPhase(
      dispatchedAt + durationMs(responseTimeout),
      `waiting up to ${responseTimeout} for ${input.channel === 'sms' ? 'the delivery report' : 'the agent'}`,
      () => !isAwaitingReport(reminder.state) || reminder.state.status === 'processing',
    );
    if (response === 'expired') return timeOut(input.channel === 'sms' ? SMS_TIMEOUT_REASON : CALL_TIMEOUT_REASON);
    if (reminder.state.status !== 'processing') return;
    await projection.write();
    const call = await awaitPhase(
      Date.now() + durationMs(maxCallDuration),
      `call in progress, up to ${maxCallDuration}`,
      () => !isAwaitingReport(reminder.state),
    );
    if (call === 'expired') timeOut(CALL_DURATION_EXCEEDED_REASON);
  }

  /** Applies reports as they arrive until the phase is over or its one timer expires first. */
  async function awaitPhase(deadline: number, summary: string, phaseOver: () => boolean): Promise<'over' | 'expired'> {
    const timer = new PhaseTimer(deadline, summary);
    try {
      for (;;) {
        await condition(() => timer.expired || !inbox.isEmpty || phaseOver());
        inbox.applyTo(reminder); // a report that arrived together with the deadline still counts
        if (phaseOver()) return 'over';
        if (timer.expired) return 'expired';
        await projection.write();
      }
    } finally {
      timer.cancel();
    }
  }

  /** The contact policy said not now (the reminder waits, its attempt unused) or never (it ends). */
  function applyRefusal({ refused }: ContactRefused): void {
    if (refused.verdict === 'defer') reminder.apply({ type: 'deferred', nextAttemptAt: refused.until, reason: refused.reason });
    else reminder.apply({ type: 'cancelled', reason: refused.reason });
  }

  function timeOut(reason: string): void {
    log.warn('no report in time', { reason, attempt: reminder.state.attempt });
    reminder.apply({ type: 'timed_out', reason });
  }
}

/** Sleeps until the next attempt is due; an operator's reschedule or cancel wakes it. */
async function waitUntilDue(reminder: TrackedReminder): Promise<void> {
  while (reminder.state.status === 'pending' && reminder.state.nextAttemptAt) {
    const remaining = Date.parse(reminder.state.nextAttemptAt) - Date.now();
    if (remaining <= 0) return;
    const { version, attempt, maxAttempts, nextAttemptAt } = reminder.state;
    await condition(() => reminder.state.version !== version, remaining, {
      summary: `attempt ${attempt + 1} of ${maxAttempts} due at ${nextAttemptAt}`,
    });
  }
}
