import type { Channel, ReminderState } from './reminder';

export function initialReminderState(input: { reminderId: string; channel: Channel; maxAttempts: number }, at: string): ReminderState {
  return {
    reminderId: input.reminderId,
    channel: input.channel,
    status: 'pending',
    attempt: 0,
    maxAttempts: input.maxAttempts,
    history: [{ status: 'pending', attempt: 0, at, reason: 'created' }],
    version: 1,
  };
}
