// The one way to build an invoice plan's snapshot, for the workflow's query and projection
// writes and for the API's first record. Side-effect free, like the definitions.
import type { InvoiceState } from '../domain/invoice';
import { invoiceWorkflowId, type InvoiceSnapshot, type InvoiceWorkflowInput } from './invoice-definitions';

export { newInvoiceState } from '../domain/invoice-plan';

export function invoiceSnapshot(input: InvoiceWorkflowInput, state: InvoiceState): InvoiceSnapshot {
  const { promiseGrace: _promiseGrace, reminders: _reminders, ...details } = input;
  return { ...details, ...state, workflowId: invoiceWorkflowId(input.reference) };
}
