// What operators see of a running reminder in the Temporal Web UI: search attributes to
// filter by and a one-line "current details" that reads as where the reminder stands.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ReminderState } from '../domain/reminder';
import type { ReminderWorkflowInput } from './definitions';
import { NextAttemptAtKey, ReminderAttemptKey, ReminderStatusKey } from './search-attributes';

export function searchAttributeUpdates(before: ReminderState, after: ReminderState): SearchAttributeUpdatePair[] {
  const updates: SearchAttributeUpdatePair[] = [];
  if (before.status !== after.status) updates.push({ key: ReminderStatusKey, value: after.status });
  if (before.attempt !== after.attempt) updates.push({ key: ReminderAttemptKey, value: after.attempt });
  if (before.nextAttemptAt !== after.nextAttemptAt) {
    updates.push({ key: NextAttemptAtKey, value: after.nextAttemptAt ? new Date(after.nextAttemptAt) : null });
  }
  return updates;
}

export function currentDetails(input: ReminderWorkflowInput, state: ReminderState): string {
  const lines = [
    `**${state.status}** · attempt ${state.attempt} of ${state.maxAttempts} · ${input.channel === 'sms' ? 'SMS' : 'voice call'}`,
  ];
  if (state.externalId) lines.push(`${input.channel === 'sms' ? 'Twilio message' : 'LiveKit room'}: ${state.externalId}`);
  if (state.deliveryStatus) lines.push(`delivery: ${state.deliveryStatus}${state.errorCode ? ` (error ${state.errorCode})` : ''}`);
  if (state.callOutcome) lines.push(`call: ${state.callOutcome.customer_response}, ${state.callOutcome.duration}s`);
  if (state.skipReason) lines.push(`reason: ${state.skipReason}`);
  if (state.waitingReason && state.status === 'pending') lines.push(`waiting: ${state.waitingReason}`);
  if (state.nextAttemptAt && state.status === 'pending') lines.push(`next attempt: ${state.nextAttemptAt}`);
  return lines.join('\n\n');
}
