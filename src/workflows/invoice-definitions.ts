// The contract between the API and the invoice workflow (the parent of an invoice's
// reminders): ids, input, signals, queries and updates, defined once and imported by both
// sides. Side-effect free, so the workflow sandbox can load it.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InvoicePayment, InvoiceState, ScheduledStep } from '../domain/invoice';
import type { Customer } from '../domain/reminder';
import type { ReminderTimings } from './definitions';

export const invoiceWorkflowId = (reference: string) => `invoice-${reference}`;
export const INVOICE_WORKFLOW_TYPE = 'invoiceWorkflow';

export interface InvoiceDetails {
  reference: string;
  customer: Customer;
  /** In major units. */
  amount: number;
  /** ISO 4217. */
  currency: string;
  /** ISO date. */
  dueDate: string;
  /** The plan, its instants resolved by the API when the invoice was created. */
  plan: ScheduledStep[];
  /** ISO timestamp the API accepted the request. */
  createdAt: string;
  /** Hash of the create request, to tell a true retry from a reused reference. */
  requestFingerprint: string;
}

export interface InvoiceWorkflowInput extends InvoiceDetails {
  /** How long after a promised date the plan waits before it resumes (e.g. `2 days`). */
  promiseGrace: string;
  /** What each reminder the plan starts gets, fixed at creation like a reminder's own timings. */
  reminders: { maxAttempts: number; timings: ReminderTimings };
}

/** The full picture of an invoice plan: its details and its current state. */
export interface InvoiceSnapshot extends InvoiceDetails, InvoiceState {
  workflowId: string;
}

export const paymentRecordedSignal = defineSignal<[InvoicePayment]>('paymentRecorded');
export const invoiceQuery = defineQuery<InvoiceSnapshot>('invoice');

/** Operator actions: each rejects (validator) when it does not apply to the plan's state. */
export const pausePlanUpdate = defineUpdate<InvoiceState, [{ until?: string; reason: string }]>('pausePlan');
export const resumePlanUpdate = defineUpdate<InvoiceState, []>('resumePlan');
export const cancelPlanUpdate = defineUpdate<InvoiceState, [{ reason?: string }]>('cancelPlan');
