// Step 1: the change behind patched(). Workflows that started on the released code take the
// old branch on replay; new ones record a marker and take the new branch.
import { patched, proxyActivities } from '@temporalio/workflow';
import type { StepActivities } from './activities';

const { step } = proxyActivities<StepActivities>({ startToCloseTimeout: '10 seconds' });

export async function exampleWorkflow(): Promise<string[]> {
  const steps: string[] = [];
  if (patched('check-before-send')) steps.push(await step('check'));
  steps.push(await step('send'));
  return steps;
}
