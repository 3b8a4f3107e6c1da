// The plan's catch-up rule and its first state. Pure: the workflow calls them with its own
// clock, and the API may build the first record from the same function.
import type { InvoiceState, ScheduledStep, StepRecord } from './invoice';
import { describeWaiting } from './invoice-waiting';

/**
 * Catch-up: of the steps still scheduled whose instant has passed at `now` (the plan started
 * late, was paused, or a step overran its successors), only the latest runs, now; the earlier
 * ones are skipped. A customer who missed three reminders gets one, the one the business meant
 * for this point of the cadence, not three at once. Answers the steps to skip with their note.
 */
export function missedSteps(steps: readonly StepRecord[], now: number): { number: number; note: string }[] {
  const overdue = steps.filter((step) => step.status === 'scheduled' && Date.parse(step.scheduledAt) <= now);
  const latest = overdue.at(-1);
  if (!latest) return [];
  return overdue.slice(0, -1).map((step) => ({
    number: step.number,
    note: `missed (due ${step.scheduledAt}): only the latest step that came due, step ${latest.number}, runs`,
  }));
}

/** The first step still to run, after the catch-up has skipped the missed ones. */
export const nextScheduledStep = (steps: readonly StepRecord[]): StepRecord | undefined =>
  steps.find((step) => step.status === 'scheduled');

/** A new plan's state: open, nothing paid, every step scheduled. */
export function newInvoiceState(details: { reference: string; amount: number; plan: readonly ScheduledStep[] }): InvoiceState {
  const state: InvoiceState = {
    reference: details.reference,
    status: 'open',
    outstanding: details.amount,
    payments: [],
    promises: [],
    steps: details.plan.map((step) => ({ ...step, status: 'scheduled', contacts: [] })),
    waitingFor: '',
    version: 1,
  };
  return { ...state, waitingFor: describeWaiting(state) };
}
