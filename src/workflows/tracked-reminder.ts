import { log, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { ReminderState } from '../domain/reminder';
import { isAwaitingReport, isTerminal, transition, type ReminderEvent } from '../domain/status-machine';
import { newReminderState, reminderSnapshot, type ReminderSnapshot, type ReminderWorkflowInput } from './definitions';
import { currentDetails, searchAttributeUpdates } from './operator-view';

/** Workflow time as an ISO timestamp (the SDK makes `Date` deterministic in workflow code). */
export const workflowNow = (): string => new Date().toISOString();

/**
 * The reminder as its workflow holds it. Every change goes through the pure status machine,
 * and what operators see (search attributes, current details) follows each one.
 */
export class TrackedReminder {
  state: ReminderState;
  /**
   * Why the invoice plan asked this reminder to stop while an attempt was out: that attempt
   * runs to its end (a customer on the phone is not hung up on), and no retry follows it.
   */
  stopReason?: string;
  private sendInFlight = false;

  constructor(readonly input: ReminderWorkflowInput) {
    this.state = newReminderState(input);
  }

  snapshot(of: ReminderState = this.state): ReminderSnapshot {
    return reminderSnapshot(this.input, of);
  }

  /** The state an event would lead to, without applying it. */
  preview(event: ReminderEvent, at: string): ReminderState {
    return transition(this.state, event, at).state;
  }

  apply(event: ReminderEvent, at = workflowNow()): void {
    const before = this.state;
    const result = transition(before, event, at);
    if (!result.changed) {
      log.info('event ignored', { event: event.type, reason: result.ignored });
      return;
    }
    this.state = result.state;
    if (before.status !== this.state.status) {
      log.info('reminder status changed', {
        from: before.status,
        to: this.state.status,
        attempt: this.state.attempt,
        reason: this.state.skipReason,
      });
    }
    const updates = searchAttributeUpdates(before, this.state);
    if (updates.length > 0) upsertSearchAttributes(updates);
    setCurrentDetails(currentDetails(this.input, this.state));
  }

  /**
   * The plan's stop: a waiting reminder (pending, or failed between attempts) ends cancelled
   * now, which wakes its due or backoff wait. One with an attempt going out or out (a send
   * under way, in_progress, processing) is only marked: the workflow lets that attempt end and
   * cancels the reminder instead of retrying or deferring it. A terminal one ignores it.
   * Kept here, not in the status machine: `cancelled` is its only transition, and whether it
   * happens now or after the attempt is the workflow's scheduling, not a status rule.
   */
  stop(reason: string): void {
    if (isTerminal(this.state)) {
      log.info('stop ignored', { status: this.state.status, reason });
    } else if (this.sendInFlight || isAwaitingReport(this.state)) {
      this.stopReason = reason;
      log.info('stop noted: the attempt out runs to its end, and nothing follows it', { attempt: this.state.attempt, reason });
    } else {
      this.apply({ type: 'cancelled', reason });
    }
  }

  /** Runs a send, during which the reminder is still `pending` but its attempt is going out. */
  async whileSending<T>(send: () => Promise<T>): Promise<T> {
    this.sendInFlight = true;
    try {
      return await send();
    } finally {
      this.sendInFlight = false;
    }
  }

  /** Moves the version past one that a record written elsewhere has already used. */
  moveVersionPast(version: number): void {
    this.state = { ...this.state, version: Math.max(this.state.version, version) + 1 };
  }
}
