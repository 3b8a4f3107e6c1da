import { initialReminderState } from '../../../src/domain/initial-state';
import { canRetry, isAwaitingReport, isTerminal } from '../../../src/domain/status-machine';

const CREATED_AT = '2026-03-01T09:00:00.000Z';

describe('initialReminderState', () => {
  it.each(['sms', 'call'] as const)('starts a %s reminder pending, at attempt 0, version 1, with a "created" history entry', (channel) => {
    const state = initialReminderState({ reminderId: 'r-1', channel, maxAttempts: 5 }, CREATED_AT);
    expect(state).toEqual({
      reminderId: 'r-1',
      channel,
      status: 'pending',
      attempt: 0,
      maxAttempts: 5,
      history: [{ status: 'pending', attempt: 0, at: CREATED_AT, reason: 'created' }],
      version: 1,
    });
    expect(isTerminal(state)).toBe(false);
    expect(canRetry(state)).toBe(false);
    expect(isAwaitingReport(state)).toBe(false);
  });
});
