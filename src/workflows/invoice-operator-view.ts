// What operators see of a running invoice plan in the Temporal Web UI: a few lines of
// "current details" that read as where the plan stands (its reminders are its children).
import type { InvoiceState } from '../domain/invoice';
import type { InvoiceWorkflowInput } from './invoice-definitions';

export function invoiceCurrentDetails(input: InvoiceWorkflowInput, state: InvoiceState): string {
  const money = (amount: number) => `${amount.toFixed(2)} ${input.currency}`;
  const done = state.steps.filter((step) => step.status !== 'scheduled' && step.status !== 'running').length;
  const lines = [
    `**${state.status}** · ${money(state.outstanding)} of ${money(input.amount)} owed · ${done} of ${state.steps.length} steps over`,
    `waiting for: ${state.waitingFor}`,
  ];
  if (state.payments.length > 0) lines.push(`payments: ${state.payments.map((payment) => money(payment.amount)).join(', ')}`);
  const promise = state.promises.at(-1);
  if (promise) lines.push(`promise: pay by ${promise.promisedDate}${promise.promisedAmount ? ` (${money(promise.promisedAmount)})` : ''}`);
  if (state.cancelReason) lines.push(`cancelled: ${state.cancelReason}`);
  return lines.join('\n\n');
}
