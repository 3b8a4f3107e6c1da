import type { ReminderSnapshot } from '../../src/workflows/definitions';
import type { InvoiceSnapshot } from '../../src/workflows/invoice-definitions';

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

/** A complete open invoice snapshot with one SMS step for store tests; `overrides` set the state under test. */
export function invoiceProjection(reference: string, overrides: Partial<InvoiceSnapshot>): InvoiceSnapshot {
  return {
    reference,
    workflowId: `invoice-${reference}`,
    customer: { id: 'c', name: 'N', phone: '+14155550100' },
    amount: 100,
    currency: 'USD',
    dueDate: '2026-12-01',
    plan: [{ number: 1, at: '0d', channel: 'sms', scheduledAt: '2026-12-01T18:00:00.000Z' }],
    createdAt: '2026-11-24T10:00:00.000Z',
    requestFingerprint: 'f',
    status: 'open',
    outstanding: 100,
    payments: [],
    promises: [],
    steps: [{ number: 1, at: '0d', channel: 'sms', scheduledAt: '2026-12-01T18:00:00.000Z', status: 'scheduled', contacts: [] }],
    waitingFor: 'step 1',
    version: 1,
    ...overrides,
  };
}
