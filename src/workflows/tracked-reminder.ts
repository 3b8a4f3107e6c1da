import { log, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { ReminderState } from '../domain/reminder';
import { transition, type ReminderEvent } from '../domain/status-machine';
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

  /** Moves the version past one that a record written elsewhere has already used. */
  moveVersionPast(version: number): void {
    this.state = { ...this.state, version: Math.max(this.state.version, version) + 1 };
  }
}
