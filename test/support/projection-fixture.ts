import type { ReminderSnapshot } from '../../src/workflows/definitions';

/** A complete SMS reminder snapshot for store tests; `overrides` set the state under test. */
export function reminderProjection(reminderId: string, overrides: Partial<ReminderSnapshot>): ReminderSnapshot {
  return {
    reminderId,
    workflowId: `reminder-${reminderId}`,
    channel: 'sms',
    customer: { id: 'c', name: 'N', phone: '+14155550100' },
    payment: { amount: 1, currency: 'USD', dueDate: '2026-12-01', reference: 'R' },
    message: 'm',
    createdAt: '2026-11-24T10:00:00.000Z',
    requestFingerprint: 'f',
    status: 'pending',
    attempt: 1,
    maxAttempts: 3,
    history: [],
    version: 1,
    ...overrides,
  };
}
