// Step 2, once no workflow started before the patch is open: deprecatePatch(). The old branch
// is gone; the marker is still recorded, so workers still on step 1 replay new workflows.
import { deprecatePatch, proxyActivities } from '@temporalio/workflow';
import type { StepActivities } from './activities';

const { step } = proxyActivities<StepActivities>({ startToCloseTimeout: '10 seconds' });

export async function exampleWorkflow(): Promise<string[]> {
  deprecatePatch('check-before-send');
  return [await step('check'), await step('send')];
}
