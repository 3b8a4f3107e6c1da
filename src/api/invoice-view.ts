import { outstandingAmount, type InvoicePayment } from '../domain/invoice';
import type { InvoiceDocument } from '../store/invoices';
import type { ReminderDocument } from '../store/reminder-store';
import type { InvoiceSnapshot } from '../workflows/invoice-definitions';

/** An invoice as the API returns it (JSON, dates as ISO strings, no internals). */
export type InvoiceView = Omit<InvoiceSnapshot, 'requestFingerprint' | 'version'> & {
  updatedAt?: string;
  /** `workflow`: the plan's own answer, live; `store`: its last recorded state. */
  source: 'workflow' | 'store';
  /** Why the stored state is shown (the workflow could not be asked). */
  staleReason?: string;
};

export function snapshotOfDocument({ _id, createdAt, updatedAt: _updatedAt, ...rest }: InvoiceDocument): InvoiceSnapshot {
  return { ...rest, createdAt: createdAt.toISOString() };
}

/**
 * The plan's snapshot with what others know better, so the view is never behind them:
 * the payments as recorded (the store has each one before the workflow hears of it, and
 * keeps one made after the plan closed), what is owed counted from them, and each step
 * contact's status from its reminder's projection (the plan hears of a reminder when it ends).
 */
export function viewOf(
  snapshot: InvoiceSnapshot,
  payments: InvoicePayment[],
  reminders: ReminderDocument[],
  source: Pick<InvoiceView, 'source' | 'staleReason' | 'updatedAt'>,
): InvoiceView {
  const { requestFingerprint: _fingerprint, version: _version, ...rest } = snapshot;
  const recorded = new Set(payments.map((payment) => payment.id));
  const allPayments = [...payments, ...snapshot.payments.filter((payment) => !recorded.has(payment.id))];
  const live = new Map(reminders.map((reminder) => [reminder._id, reminder]));
  return {
    ...rest,
    payments: allPayments,
    outstanding: outstandingAmount(snapshot.amount, allPayments),
    steps: snapshot.steps.map((step) => ({
      ...step,
      contacts: step.contacts.map((contact) => {
        const reminder = live.get(contact.reminderId);
        if (!reminder) return contact;
        return {
          ...contact,
          status: reminder.status,
          ...(reminder.skipReason ? { skipReason: reminder.skipReason } : {}),
          ...(reminder.callOutcome ? { callOutcome: reminder.callOutcome } : {}),
        };
      }),
    })),
    ...source,
  };
}
