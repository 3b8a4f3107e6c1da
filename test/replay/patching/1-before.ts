// The patching procedure, step 0: the released workflow. It sends a reminder.
import { proxyActivities } from '@temporalio/workflow';
import type { StepActivities } from './activities';

const { step } = proxyActivities<StepActivities>({ startToCloseTimeout: '10 seconds' });

export async function exampleWorkflow(): Promise<string[]> {
  return [await step('send')];
}
