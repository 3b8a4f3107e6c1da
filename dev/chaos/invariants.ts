// What must hold for every reminder after a fault: checked from the projection, the
// workflow's own state and the messages the Twilio stand-in received.
import type { ReminderDocument } from '../../src/store/reminder-store';
import type { ReminderState, ReminderStatus } from '../../src/domain/reminder';
import { isAllowedStep } from '../../src/domain/status-machine';
import type { StandInMessage } from '../standins/twilio-standin';

/** The first step in the history that the status machine could not have made, if any. */
export function backwardStep(history: { status: ReminderStatus }[]): string | undefined {
  for (let index = 1; index < history.length; index++) {
    const from = history[index - 1]!.status;
    const to = history[index]!.status;
    if (!isAllowedStep(from, to)) return `${from} → ${to}`;
  }
  return undefined;
}

/** Differences between the projection and the workflow's final state. */
export function projectionMismatch(document: ReminderDocument, state: ReminderState): string | undefined {
  const fields = ['status', 'attempt', 'version', 'externalId', 'skipReason', 'errorCode'] as const;
  const different = fields.filter((field) => (document[field] ?? null) !== (state[field] ?? null));
  return different.length > 0 ? different.map((field) => `${field}: ${document[field]} ≠ ${state[field]}`).join(', ') : undefined;
}

/**
 * SMS sends per (reminder, attempt), from the callback URL each message carries; and the
 * reminders texted again after Twilio (the stand-in) had reported an earlier send delivered:
 * a later attempt is no duplicate per attempt, but the customer got the reminder twice
 * (issue 16: the `delivered` report was lost while Temporal could not take it).
 */
export function countSends(messages: StandInMessage[], reminderIds: Set<string>) {
  const perAttempt = new Map<string, number>();
  const perReminder = new Map<string, StandInMessage[]>();
  for (const message of messages) {
    if (!message.statusCallback) continue;
    const url = new URL(message.statusCallback);
    const reminderId = url.searchParams.get('reminderId');
    if (!reminderId || !reminderIds.has(reminderId)) continue;
    const key = `${reminderId}:${url.searchParams.get('attempt')}`;
    perAttempt.set(key, (perAttempt.get(key) ?? 0) + 1);
    perReminder.set(reminderId, [...(perReminder.get(reminderId) ?? []), message]);
  }
  const sends = [...perAttempt.values()].reduce((total, count) => total + count, 0);
  const duplicates = [...perAttempt.values()].reduce((total, count) => total + count - 1, 0);
  // The stand-in keeps messages in the order they were created.
  const resentAfterDelivered = [...perReminder.values()].filter((sent) => {
    const firstDelivered = sent.findIndex((message) => message.callbacks.some((callback) => callback.status === 'delivered'));
    return firstDelivered >= 0 && firstDelivered < sent.length - 1;
  }).length;
  return { sends, duplicates, resentAfterDelivered };
}
