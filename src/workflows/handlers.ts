import { setHandler } from '@temporalio/workflow';
import { isTerminal } from '../domain/status-machine';
import {
  callEventSignal,
  cancelReminderUpdate,
  reminderQuery,
  rescheduleReminderUpdate,
  retryNowUpdate,
  smsStatusSignal,
  stopReminderSignal,
} from './definitions';
import type { Inbox } from './inbox';
import { workflowNow, type TrackedReminder } from './tracked-reminder';

/**
 * What the outside world can ask of a reminder: webhooks arrive as signals (queued in the
 * inbox for the attempt they belong to), operators act through updates whose validators
 * reject what does not apply to the reminder's state, and the query answers with the snapshot.
 */
export function registerHandlers(reminder: TrackedReminder, inbox: Inbox): void {
  setHandler(reminderQuery, () => reminder.snapshot());
  setHandler(smsStatusSignal, (status) => inbox.addSmsStatus(status));
  setHandler(callEventSignal, (event) => inbox.addCallEvent(event));
  // From the invoice plan that started this reminder (paid, paused, cancelled). New in the
  // invoice plans' release; no released history has a `stop` signal, so none replays differently.
  setHandler(stopReminderSignal, ({ reason }) => reminder.stop(reason));

  setHandler(
    cancelReminderUpdate,
    ({ reason }) => {
      reminder.apply({ type: 'cancelled', reason: reason?.trim() || 'Cancelled by request' });
      return reminder.state;
    },
    {
      validator: (_request) => {
        if (isTerminal(reminder.state)) throw new Error(`reminder is already ${reminder.state.status}`);
      },
    },
  );

  setHandler(
    rescheduleReminderUpdate,
    ({ at }) => {
      reminder.apply({ type: 'rescheduled', nextAttemptAt: new Date(at).toISOString() });
      return reminder.state;
    },
    {
      // Annotated: setHandler infers the update's arguments from the handler, not the validator.
      validator: ({ at }: { at: string }) => {
        requirePending(reminder, 'rescheduled');
        if (Number.isNaN(Date.parse(at))) throw new Error(`"${at}" is not an ISO timestamp`);
      },
    },
  );

  setHandler(
    retryNowUpdate,
    () => {
      reminder.apply({ type: 'rescheduled', nextAttemptAt: workflowNow() });
      return reminder.state;
    },
    {
      validator: () => requirePending(reminder, 'retried now'),
    },
  );
}

function requirePending(reminder: TrackedReminder, action: string): void {
  const { status } = reminder.state;
  if (status !== 'pending') throw new Error(`only a pending reminder can be ${action} (it is ${status})`);
}
