import { log, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  INVOICE_PAID_REASON,
  isFinalInvoiceStatus,
  outstandingAmount,
  PLAN_CANCELLED_REASON,
  PLAN_PAUSED_REASON,
  type InvoicePayment,
  type InvoiceState,
  type PlanPause,
  type PromiseToPay,
  type StepContact,
  type StepRecord,
} from '../domain/invoice';
import { missedSteps, newInvoiceState, nextScheduledStep } from '../domain/invoice-plan';
import { describeWaiting } from '../domain/invoice-waiting';
import type { ReminderState } from '../domain/reminder';
import { invoiceCurrentDetails } from './invoice-operator-view';
import { invoiceSnapshot } from './invoice-snapshot';
import type { InvoiceSnapshot, InvoiceWorkflowInput } from './invoice-definitions';
import { InvoiceStatusKey } from './search-attributes';

/**
 * The invoice plan as its workflow holds it. Every change goes through `commit`, which counts
 * the version, says again what the plan waits for, and keeps what operators see in step: the
 * current details on each change, the InvoiceStatus search attribute only when the status
 * changes (an upsert is a billable action; per step it would multiply the plan's cost).
 */
export class TrackedPlan {
  state: InvoiceState;

  constructor(readonly input: InvoiceWorkflowInput) {
    this.state = newInvoiceState(input);
    setCurrentDetails(invoiceCurrentDetails(input, this.state));
  }

  snapshot(): InvoiceSnapshot {
    return invoiceSnapshot(this.input, this.state);
  }

  /** The reason a running reminder is stopped with, once the plan is no longer open. */
  get stopReason(): string | undefined {
    const { status, pause, cancelReason } = this.state;
    if (status === 'paid') return INVOICE_PAID_REASON;
    if (status === 'cancelled') return `${PLAN_CANCELLED_REASON}: ${cancelReason}`;
    if (status === 'paused' && pause) return `${PLAN_PAUSED_REASON}: ${pause.reason}`;
    return undefined;
  }

  /** Idempotent on the payment's id. A full payment ends an open or paused plan `paid`. */
  recordPayment(payment: InvoicePayment): void {
    if (!Number.isFinite(payment.amount) || payment.amount <= 0) {
      log.warn('payment ignored: its amount is not a positive number', { paymentId: payment.id });
      return;
    }
    if (this.state.payments.some((recorded) => recorded.id === payment.id)) {
      log.info('payment already recorded', { paymentId: payment.id });
      return;
    }
    const payments = [...this.state.payments, payment];
    const outstanding = outstandingAmount(this.input.amount, payments);
    const pays = outstanding === 0 && (this.state.status === 'open' || this.state.status === 'paused');
    this.commit({
      payments,
      outstanding,
      ...(pays ? { status: 'paid', pause: undefined, steps: this.stopScheduled(INVOICE_PAID_REASON) } : {}),
    });
  }

  pause(pause: PlanPause, promise?: PromiseToPay): void {
    this.commit({ status: 'paused', pause, ...(promise ? { promises: [...this.state.promises, promise] } : {}) });
  }

  resume(why: string): void {
    log.info('plan resumed', { why, pausedBy: this.state.pause?.by });
    this.commit({ status: 'open', pause: undefined });
  }

  cancel(reason: string): void {
    const note = `${PLAN_CANCELLED_REASON}: ${reason}`;
    this.commit({ status: 'cancelled', cancelReason: reason, pause: undefined, steps: this.stopScheduled(note) });
  }

  /**
   * Applies the catch-up rule, then answers the step to run next, still scheduled (the plan
   * waits for its instant, then `startStep`); with none left, the plan is exhausted.
   */
  nextStep(now: number): StepRecord | undefined {
    const { steps, next } = this.caughtUp(now);
    if (!next) {
      this.commit({ steps, status: 'exhausted' });
      return undefined;
    }
    if (steps !== this.state.steps) this.commit({ steps });
    return this.step(next.number);
  }

  /** The step's instant has come: it runs. */
  startStep(stepNumber: number): StepRecord {
    this.updateStep(stepNumber, (step) => ({ ...step, status: 'running', note: undefined }));
    return this.step(stepNumber);
  }

  /**
   * Release 1.2.0's step start, kept for the plans that run it (`patched()` in the workflow):
   * the catch-up and the start in one change, before the step's reminder waits for its instant.
   */
  startNextStep(now: number): StepRecord | undefined {
    const { steps, next } = this.caughtUp(now);
    if (!next) {
      this.commit({ steps, status: 'exhausted' });
      return undefined;
    }
    this.commit({ steps: steps.map((step) => (step === next ? { ...step, status: 'running', note: undefined } : step)) });
    return this.step(next.number);
  }

  /** The steps with the missed ones skipped (the same array when none was), and the next to run. */
  private caughtUp(now: number): { steps: StepRecord[]; next?: StepRecord } {
    const missed = new Map(missedSteps(this.state.steps, now).map(({ number, note }) => [number, note]));
    if (missed.size === 0) return { steps: this.state.steps, next: nextScheduledStep(this.state.steps) };
    const steps = this.state.steps.map((step): StepRecord => {
      const note = missed.get(step.number);
      return note ? { ...step, status: 'skipped', note } : step;
    });
    return { steps, next: nextScheduledStep(steps) };
  }

  contactStarted(stepNumber: number, contact: StepContact): void {
    this.updateStep(stepNumber, (step) => ({ ...step, contacts: [...step.contacts, contact] }));
  }

  contactEnded(stepNumber: number, reminderId: string, final: Pick<ReminderState, 'status' | 'skipReason' | 'callOutcome'>): void {
    this.updateStep(stepNumber, (step) => ({
      ...step,
      contacts: step.contacts.map((contact) =>
        contact.reminderId === reminderId
          ? { ...contact, status: final.status, skipReason: final.skipReason, callOutcome: final.callOutcome }
          : contact,
      ),
    }));
  }

  /**
   * The step's contacts have ended. A contact that reached the customer makes it done, whatever
   * happened to the plan meanwhile. Otherwise: open, done (its contacts ran their course); paid
   * or cancelled, stopped; stopped by an operator's pause, scheduled again, to run as a new
   * reminder when the plan resumes (under the catch-up rule).
   */
  finishStep(stepNumber: number, last: Pick<ReminderState, 'status' | 'skipReason'>): void {
    const { status } = this.state;
    // Paused and resumed again while the contact was out: it still ended on the pause's stop.
    const stoppedByPause = last.status === 'cancelled' && last.skipReason?.startsWith(PLAN_PAUSED_REASON) === true;
    this.updateStep(stepNumber, (step): StepRecord => {
      if (last.status === 'completed' || (status === 'open' && !stoppedByPause)) return { ...step, status: 'done' };
      if (status === 'open' || status === 'paused') {
        return { ...step, status: 'scheduled', note: `interrupted by a pause: runs again as a new reminder on resume` };
      }
      return { ...step, status: 'stopped', note: this.stopReason };
    });
  }

  step(stepNumber: number): StepRecord {
    const step = this.state.steps.find((candidate) => candidate.number === stepNumber);
    if (!step) throw new Error(`the plan has no step ${stepNumber}`);
    return step;
  }

  private stopScheduled(note: string): StepRecord[] {
    return this.state.steps.map((step) => (step.status === 'scheduled' ? { ...step, status: 'stopped', note } : step));
  }

  private updateStep(stepNumber: number, change: (step: StepRecord) => StepRecord): void {
    this.commit({ steps: this.state.steps.map((step) => (step.number === stepNumber ? change(step) : step)) });
  }

  private commit(changes: Partial<InvoiceState>): void {
    const before = this.state;
    const next = { ...before, ...changes, version: before.version + 1 };
    this.state = { ...next, waitingFor: describeWaiting(next) };
    if (before.status !== this.state.status) {
      log.info('invoice plan status changed', { from: before.status, to: this.state.status, outstanding: this.state.outstanding });
      upsertSearchAttributes([{ key: InvoiceStatusKey, value: this.state.status }]);
    }
    setCurrentDetails(invoiceCurrentDetails(this.input, this.state));
  }

  get isFinal(): boolean {
    return isFinalInvoiceStatus(this.state.status);
  }
}
