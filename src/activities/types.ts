// The requests the workflow sends its delivery activities. Types only.
import type { Customer } from '../domain/reminder';
import type { InvoiceBalance } from '../store/invoices';
import type { ReminderSnapshot } from '../workflows/definitions';

/**
 * The projection a delivery activity writes once the attempt is out: the workflow's state
 * after the dispatch, all but the external id, which only the provider's answer gives.
 */
export interface DispatchRecord {
  record: ReminderSnapshot;
}

export interface SendSmsRequest {
  reminderId: string;
  attempt: number;
  to: string;
  body: string;
}

export interface DispatchCallRequest {
  reminderId: string;
  attempt: number;
  phone: string;
  customerName: string;
  /** e.g. "120.50 USD", as the agent should say it. */
  amountDue: string;
  dueDate: string;
  reference: string;
  message: string;
}

/** Who a contact is for, as the contact policy needs it (zones, consent, the debt's caps). */
export interface ContactSubject {
  contact: {
    customer: Customer;
    /** The debt: the caps count per customer and invoice reference. */
    reference: string;
    /** Set when the contact is a step of an invoice plan: the check confirms the invoice is still owed. */
    invoice?: { reference: string };
  };
}

/** The contact policy allowed the contact; for a plan step, what its invoice still owed when it decided. */
export interface ContactAllowed {
  owed?: InvoiceBalance;
}

/** The contact policy said no, so nothing was sent. `until` is an ISO timestamp. */
export interface ContactRefused {
  refused: { verdict: 'defer'; until: string; reason: string } | { verdict: 'refuse'; reason: string };
}
