// A deliberately incompatible change, for the test that proves the replay guard works: it runs
// an activity of a new type before anything else, so every existing history has commands of
// another kind or type at that point (a timer alone would not do: a timer's duration is not
// compared on replay, and some paths start with the due timer).
import { proxyActivities } from '@temporalio/workflow';
import { invoiceWorkflow as currentInvoiceWorkflow } from '../../../src/workflows/invoice-workflow';
import { reminderWorkflow as current } from '../../../src/workflows/reminder-workflow';
import type { ReminderWorkflowInput } from '../../../src/workflows/definitions';
import type { InvoiceWorkflowInput } from '../../../src/workflows/invoice-definitions';

const { auditReminder } = proxyActivities<{ auditReminder(id: string): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function reminderWorkflow(input: ReminderWorkflowInput) {
  await auditReminder(input.reminderId);
  return current(input);
}

export async function invoiceWorkflow(input: InvoiceWorkflowInput) {
  await auditReminder(input.reference);
  return currentInvoiceWorkflow(input);
}
