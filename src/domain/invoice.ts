// The invoice plan's vocabulary, shared by the invoice workflow, the API and the store.
// Pure types and constants: no Temporal, Koa or MongoDB import, so the workflow sandbox can load it.
import type { CallOutcome, Channel, ReminderStatus } from './reminder';

/**
 * One step of a dunning plan as a business writes it: when, relative to the due date
 * (`-3d`, `0d`, `+7d`), on which channel, what to fall back to when that channel does not
 * reach the customer, and optionally its own message template.
 */
export interface PlanStep {
  at: string;
  channel: Channel;
  fallback?: Channel;
  /** Its placeholders are TEMPLATE_PLACEHOLDERS in braces, e.g. `{amount}` (still owed). */
  template?: string;
}

/** What a step's message template may say; {amount} is what is still owed when the step starts. */
export const TEMPLATE_PLACEHOLDERS = ['name', 'amount', 'currency', 'dueDate', 'reference'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** A step with its instant resolved (by the API, where time-zone data may be used), numbered from 1. */
export interface ScheduledStep extends PlanStep {
  number: number;
  /** ISO instant the step's first contact is due. */
  scheduledAt: string;
}

/**
 * open: the plan runs (or waits for its next step); paused: by a promise to pay or an operator;
 * paid: the invoice is paid in full and every open step was stopped; cancelled: by an operator;
 * exhausted: every step ran and the invoice is still owed.
 */
export const INVOICE_STATUSES = ['open', 'paused', 'paid', 'cancelled', 'exhausted'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const isFinalInvoiceStatus = (status: InvoiceStatus): boolean =>
  status === 'paid' || status === 'cancelled' || status === 'exhausted';

/** A payment as the API or the payment webhook records it; `id` makes recording idempotent. */
export interface InvoicePayment {
  id: string;
  /** In major units, like the invoice amount. */
  amount: number;
  /** ISO timestamp. */
  paidAt: string;
}

/** A promise to pay made on a call (customer_response `promise_to_pay`). */
export interface PromiseToPay {
  reminderId: string;
  /** ISO date the customer promised to pay by. */
  promisedDate: string;
  promisedAmount?: number;
  /** ISO instant the plan resumes if the invoice is still owed: the promised date plus the grace. */
  resumesAt: string;
}

/** One contact a step made: its reminder (a child workflow), and why it ran. */
export interface StepContact {
  reminderId: string;
  channel: Channel;
  /** `step`: the step's own channel; `fallback`: after the first did not reach the customer. */
  role: 'step' | 'fallback';
  /** Why this contact ran, for people (a fallback says what the first contact ended as). */
  reason?: string;
  /** The reminder's status when the plan last heard of it (final once the child ended). */
  status: ReminderStatus;
  skipReason?: string;
  callOutcome?: CallOutcome;
}

export const STEP_STATUSES = ['scheduled', 'running', 'done', 'skipped', 'stopped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface StepRecord extends ScheduledStep {
  status: StepStatus;
  contacts: StepContact[];
  /** Why a step was skipped or stopped (e.g. `Invoice paid`, `missed while paused`). */
  note?: string;
}

export interface PlanPause {
  /** ISO instant the plan resumes by itself; absent: until an operator resumes it. */
  until?: string;
  reason: string;
  by: 'promise' | 'operator';
}

/** Everything the invoice workflow knows about its plan. */
export interface InvoiceState {
  reference: string;
  status: InvoiceStatus;
  /** Still owed, in major units: the amount minus the payments recorded. */
  outstanding: number;
  payments: InvoicePayment[];
  promises: PromiseToPay[];
  steps: StepRecord[];
  pause?: PlanPause;
  /** What the plan waits for next, for people (API, Web UI current details). */
  waitingFor: string;
  /** Why the plan ended cancelled, when an operator cancelled it. */
  cancelReason?: string;
  /** Incremented on every change; orders the projection writes, as for reminders. */
  version: number;
}

export const INVOICE_PAID_REASON = 'Invoice paid';
export const PLAN_CANCELLED_REASON = 'Plan cancelled';
export const PLAN_PAUSED_REASON = 'Plan paused';

/**
 * What is still owed after `payments`, counted in hundredths so that 100 − 33.33 − 66.67 is 0
 * (binary fractions would leave a remainder and keep a paid invoice open).
 */
export function outstandingAmount(amount: number, payments: readonly InvoicePayment[]): number {
  const paidCents = payments.reduce((sum, payment) => sum + Math.round(payment.amount * 100), 0);
  return Math.max(Math.round(amount * 100) - paidCents, 0) / 100;
}
