// A deliberately incompatible change, for the test that proves the replay guard works: it adds
// a timer before anything else, so every existing history has commands in another order.
import { sleep } from '@temporalio/workflow';
import { reminderWorkflow as current } from '../../../src/workflows/reminder-workflow';
import type { ReminderWorkflowInput } from '../../../src/workflows/definitions';

export async function reminderWorkflow(input: ReminderWorkflowInput) {
  await sleep('1 second');
  return current(input);
}
