import { condition, log } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import type { InvoiceState } from '../domain/invoice';
import { promiseFrom } from '../domain/promise-to-pay';
import { decideFallback } from '../domain/step-fallback';
import type { InvoiceWorkflowInput } from './invoice-definitions';
import { registerInvoiceHandlers } from './invoice-handlers';
import { InvoiceProjectionWriter } from './invoice-projection';
import { runContact } from './plan-step';
import { TrackedPlan } from './tracked-plan';

/**
 * One invoice's dunning plan, from creation to paid, cancelled or exhausted: its steps run one
 * at a time, each as a child reminder workflow that waits for the step's instant itself; a
 * step that did not reach the customer falls back to its other channel once; a promise made
 * on a call pauses the plan until the promised date plus the grace; a full payment stops the
 * running reminder and every step after it. The projection is written at the plan's own
 * transitions only (paused, resumed, ended); each reminder keeps its own.
 */
export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceState> {
  const plan = new TrackedPlan(input);
  const projection = new InvoiceProjectionWriter(plan);
  registerInvoiceHandlers(plan);

  while (!plan.isFinal) {
    await projection.writeOnTransition();
    if (plan.state.status === 'paused') await waitOutPause(plan);
    else await runNextStep(plan);
  }
  await projection.writeOnTransition();
  log.info('invoice plan finished', { status: plan.state.status, outstanding: plan.state.outstanding });
  return plan.state;
}

/** The next step (after the catch-up rule): its own contact, its fallback if that did not reach the customer, and a promise it brought. */
async function runNextStep(plan: TrackedPlan): Promise<void> {
  const step = plan.startNextStep(Date.now());
  if (!step) return; // every step has run: the plan is exhausted
  const first = await runContact(plan, step, { role: 'step', channel: step.channel });
  const fallback = decideFallback(step, first, plan.state.status);
  const last = fallback ? await runContact(plan, plan.step(step.number), { role: 'fallback', ...fallback }) : first;
  plan.finishStep(step.number, last);
  const promise = plan.state.status === 'open' ? promiseFrom(last, durationMs(plan.input.promiseGrace)) : undefined;
  if (promise) {
    plan.pause({ by: 'promise', until: promise.resumesAt, reason: `promise to pay by ${promise.promisedDate}` }, promise);
  }
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
