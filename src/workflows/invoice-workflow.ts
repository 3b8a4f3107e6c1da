import { condition, log, patched } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import type { InvoiceState, StepRecord } from '../domain/invoice';
import { promiseFrom } from '../domain/promise-to-pay';
import { decideFallback } from '../domain/step-fallback';
import type { InvoiceWorkflowInput } from './invoice-definitions';
import { registerInvoiceHandlers } from './invoice-handlers';
import { InvoiceProjectionWriter } from './invoice-projection';
import { runContact, type StepStart } from './plan-step';
import { TrackedPlan } from './tracked-plan';

/**
 * One invoice's dunning plan, from creation to paid, cancelled or exhausted: its steps run one
 * at a time, each as a child reminder workflow started at the step's instant; a step that did
 * not reach the customer falls back to its other channel once; a promise made on a call
 * pauses the plan until the promised date plus the grace; a full payment stops the running
 * reminder and every step after it. The projection is written at the plan's own transitions
 * only (paused, resumed, ended); each reminder keeps its own.
 */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceState> {
  // Asked once, first, so a plan keeps one way of starting its steps for its whole life: a plan
  // started by 1.2.0 (no marker in its history) goes on starting them early even after a deploy.
  const start: StepStart = patched(PLAN_STARTS_STEPS_WHEN_DUE) ? 'when-due' : 'ahead';
  const plan = new TrackedPlan(input);
  const projection = new InvoiceProjectionWriter(plan);
  registerInvoiceHandlers(plan);

  while (!plan.isFinal) {
    await projection.writeOnTransition();
    if (plan.state.status === 'paused') await waitOutPause(plan);
    else await runNextStep(plan, start);
  }
  await projection.writeOnTransition();
  log.info('invoice plan finished', { status: plan.state.status, outstanding: plan.state.outstanding });
  return plan.state;
}

/**
 * Release 1.3.0: the plan waits for each step's instant on its own timer and starts the step's
 * reminder then, instead of starting it at once to wait on the reminder's timer. The timer is
 * billed the same wherever it runs; what goes is the reminder's first record before it waits
 * (one activity per step) and, for a step the plan stops while it waits (paid, paused,
 * cancelled), the whole reminder: no child start, no stop signal, no last record.
 */
export const PLAN_STARTS_STEPS_WHEN_DUE = 'plan-starts-steps-when-due';

/** The next step (after the catch-up rule): its own contact, its fallback if that did not reach the customer, and a promise it brought. */
async function runNextStep(plan: TrackedPlan, start: StepStart): Promise<void> {
  const step = start === 'when-due' ? await startWhenDue(plan) : plan.startNextStep(Date.now());
  if (!step) return; // every step has run (the plan is exhausted), or the plan stopped being open while it waited
  const first = await runContact(plan, step, { role: 'step', channel: step.channel }, start);
  const fallback = decideFallback(step, first, plan.state.status);
  const last = fallback ? await runContact(plan, plan.step(step.number), { role: 'fallback', ...fallback }, start) : first;
  plan.finishStep(step.number, last);
  const promise = plan.state.status === 'open' ? promiseFrom(last, durationMs(plan.input.promiseGrace)) : undefined;
  if (promise) {
    plan.pause({ by: 'promise', until: promise.resumesAt, reason: `promise to pay by ${promise.promisedDate}` }, promise);
  }
}

/**
 * Waits on one durable timer for the next step's instant, then starts it. A payment, a pause or
 * a cancel meanwhile wakes the plan with the step still scheduled: paid or cancelled stop it,
 * and after a pause the catch-up rule decides again.
 */
async function startWhenDue(plan: TrackedPlan): Promise<StepRecord | undefined> {
  const step = plan.nextStep(Date.now());
  if (!step) return undefined;
  const remaining = Date.parse(step.scheduledAt) - Date.now();
  const stillOpen = () => plan.state.status === 'open';
  if (remaining > 0) await condition(() => !stillOpen(), remaining, { summary: plan.state.waitingFor });
  return stillOpen() ? plan.startStep(step.number) : undefined;
}

/**
 * Waits out a pause on one durable timer (none for an operator's pause without an end): a
 * payment, a resume or a cancel ends the wait early; the timer's end resumes the plan.
 */
async function waitOutPause(plan: TrackedPlan): Promise<void> {
  const { pause } = plan.state;
  const pausedStill = () => plan.state.status === 'paused' && plan.state.pause === pause;
  if (!pause?.until) {
    await condition(() => !pausedStill());
    return;
  }
  const remaining = Date.parse(pause.until) - Date.now();
  const woken = remaining > 0 && (await condition(() => !pausedStill(), remaining, { summary: plan.state.waitingFor }));
  if (!woken && pausedStill()) plan.resume(pause.by === 'promise' ? 'the promised date and its grace have passed' : 'the pause ended');
}

const durationMs = (duration: string) => msToNumber(duration as Duration);
