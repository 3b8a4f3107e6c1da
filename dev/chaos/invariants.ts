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

/** SMS sends per (reminder, attempt), from the callback URL each message carries. */
export function countSends(messages: StandInMessage[], reminderIds: Set<string>) {
  const perAttempt = new Map<string, number>();
  for (const message of messages) {
    if (!message.statusCallback) continue;
    const url = new URL(message.statusCallback);
    const reminderId = url.searchParams.get('reminderId');
    if (!reminderId || !reminderIds.has(reminderId)) continue;
    const key = `${reminderId}:${url.searchParams.get('attempt')}`;
    perAttempt.set(key, (perAttempt.get(key) ?? 0) + 1);
  }
  const sends = [...perAttempt.values()].reduce((total, count) => total + count, 0);
  const duplicates = [...perAttempt.values()].reduce((total, count) => total + count - 1, 0);
  return { sends, duplicates };
}
