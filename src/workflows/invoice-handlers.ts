import { setHandler } from '@temporalio/workflow';
import { isFinalInvoiceStatus } from '../domain/invoice';
import { cancelPlanUpdate, invoiceQuery, pausePlanUpdate, paymentRecordedSignal, resumePlanUpdate } from './invoice-definitions';
import type { TrackedPlan } from './tracked-plan';

/**
 * What the outside world can ask of an invoice plan: payments arrive as a signal (the API
 * and the payment webhook send it), operators act through updates whose validators reject
 * what does not apply to the plan's state, and the query answers with the snapshot. The
 * handlers only change the state; the workflow's flow notices and stops the running reminder.
 */
export function registerInvoiceHandlers(plan: TrackedPlan): void {
  setHandler(invoiceQuery, () => plan.snapshot());
  setHandler(paymentRecordedSignal, (payment) => plan.recordPayment(payment));

  setHandler(
    pausePlanUpdate,
    ({ until, reason }) => {
      plan.pause({ by: 'operator', reason: reason.trim(), ...(until ? { until: new Date(until).toISOString() } : {}) });
      return plan.state;
    },
    {
      // Annotated: setHandler infers the update's arguments from the handler, not the validator.
      validator: ({ until, reason }: { until?: string; reason: string }) => {
        requireStatus(plan, 'open', 'paused');
        if (typeof reason !== 'string' || reason.trim() === '') throw new Error('a pause needs a reason');
        if (until === undefined) return;
        const at = Date.parse(until);
        if (Number.isNaN(at)) throw new Error(`"${until}" is not an ISO timestamp`);
        if (at <= Date.now()) throw new Error(`pause until ${until} is not in the future`);
      },
    },
  );

  setHandler(
    resumePlanUpdate,
    () => {
      plan.resume('resumed by an operator');
      return plan.state;
    },
    { validator: () => requireStatus(plan, 'paused', 'resumed') },
  );

  setHandler(
    cancelPlanUpdate,
    ({ reason }) => {
      plan.cancel(reason?.trim() || 'Cancelled by request');
      return plan.state;
    },
    {
      validator: (_request) => {
        if (isFinalInvoiceStatus(plan.state.status)) throw new Error(`the plan is already ${plan.state.status}`);
      },
    },
  );
}

function requireStatus(plan: TrackedPlan, status: 'open' | 'paused', action: string): void {
  const { state } = plan;
  if (state.status === status) return;
  const by = state.status === 'paused' && state.pause ? ` by ${state.pause.by === 'promise' ? 'a promise to pay' : 'an operator'}` : '';
  throw new Error(`only ${status === 'open' ? 'an open' : 'a paused'} plan can be ${action} (it is ${state.status}${by})`);
}
