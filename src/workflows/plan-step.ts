import { condition, log, startChild, uuid4, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { StepContact, StepRecord } from '../domain/invoice';
import { renderStepMessage } from '../domain/invoice-message';
import type { Channel, ReminderState } from '../domain/reminder';
import {
  newReminderState,
  REMINDER_WORKFLOW_TYPE,
  reminderWorkflowId,
  stopReminderSignal,
  type ReminderWorkflowInput,
} from './definitions';
import type { reminderWorkflow } from './reminder-workflow';
import { InvoiceReferenceKey, newReminderSearchAttributes } from './search-attributes';
import { workflowNow } from './tracked-reminder';
import type { TrackedPlan } from './tracked-plan';

/** One contact of a step: its own channel, or its fallback (with why it runs). */
export interface ContactPlan {
  role: StepContact['role'];
  channel: Channel;
  reason?: string;
}

/**
 * When a plan starts its step reminders: `when-due`, at the step's instant, after the plan's
 * own timer (1.3.0); `ahead`, as soon as the step is next, the reminder waiting on its own due
 * timer (1.2.0, kept for the plans that started so).
 */
export type StepStart = 'when-due' | 'ahead';

/**
 * Runs one contact of a step as a child: the reminder workflow itself, unchanged in what it
 * does for one reminder. If the plan stops being open meanwhile (paid, paused, cancelled), the
 * child is told to stop, and the plan waits for it to end: a contact already out finishes.
 */
export async function runContact(plan: TrackedPlan, step: StepRecord, contact: ContactPlan, start: StepStart): Promise<ReminderState> {
  const input = { ...reminderInput(plan, step, contact, uuid4()), ...(start === 'when-due' ? { startedWhenDue: true as const } : {}) };
  const child = await startChild<typeof reminderWorkflow>(REMINDER_WORKFLOW_TYPE, {
    workflowId: reminderWorkflowId(input.reminderId),
    args: [input],
    staticSummary: `${plan.input.reference}: step ${step.number} of ${plan.state.steps.length}, ${contact.role === 'fallback' ? 'fallback ' : ''}${contact.channel}`,
    typedSearchAttributes: [...newReminderSearchAttributes(input), { key: InvoiceReferenceKey, value: plan.input.reference }],
  });
  plan.contactStarted(step.number, {
    reminderId: input.reminderId,
    channel: contact.channel,
    role: contact.role,
    ...(contact.reason ? { reason: contact.reason } : {}),
    status: 'pending',
  });
  const final = await untilEnded(child, plan, input);
  plan.contactEnded(step.number, input.reminderId, final);
  return final;
}

async function untilEnded(
  child: ChildWorkflowHandle<typeof reminderWorkflow>,
  plan: TrackedPlan,
  input: ReminderWorkflowInput,
): Promise<ReminderState> {
  const { reminderId } = input;
  let final: ReminderState | undefined;
  const ended = child.result().then(
    (state) => (final = state),
    // Terminated or timed out from outside: the plan goes on as after a contact that said nothing.
    (error: Error) =>
      (final = { ...newReminderState(input), status: 'cancelled', skipReason: `reminder ended without a result: ${error.message}` }),
  );
  await condition(() => final !== undefined || plan.stopReason !== undefined);
  const reason = plan.stopReason;
  if (final === undefined && reason !== undefined) {
    // It may end between the check and the signal; a signal to a closed workflow fails, harmlessly.
    await child
      .signal(stopReminderSignal, { reason })
      .catch((error: Error) => log.info('stop not delivered', { reminderId, error: error.message }));
  }
  await ended;
  return final!;
}

function reminderInput(plan: TrackedPlan, step: StepRecord, contact: ContactPlan, reminderId: string): ReminderWorkflowInput {
  const { input } = plan;
  const payment = { amount: plan.state.outstanding, currency: input.currency, dueDate: input.dueDate, reference: input.reference };
  const now = workflowNow();
  return {
    reminderId,
    channel: contact.channel,
    customer: input.customer,
    payment,
    message: renderStepMessage(step.template, contact.channel, { customer: input.customer, payment }),
    // The step's own contact is due at its instant (past once the plan waited for it, or after a
    // catch-up: it goes now; in the future for a 1.2.0 plan, whose reminder waits); a fallback goes now.
    sendAt: contact.role === 'step' ? step.scheduledAt : now,
    createdAt: now,
    requestFingerprint: `invoice:${input.reference}:step-${step.number}:${contact.role}`,
    invoice: { reference: input.reference },
    maxAttempts: input.reminders.maxAttempts,
    timings: input.reminders.timings,
  };
}
