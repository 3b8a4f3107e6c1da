// The worker's workflowsPath: every workflow type this service runs.
export { reminderWorkflow } from './reminder-workflow';
export { invoiceWorkflow } from './invoice-workflow';
