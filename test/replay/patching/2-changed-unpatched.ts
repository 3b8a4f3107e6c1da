// The change made carelessly: a check before the send, with no patch. Commands come in a
// new order, so a history recorded by the released workflow no longer replays.
import { proxyActivities } from '@temporalio/workflow';
import type { StepActivities } from './activities';

const { step } = proxyActivities<StepActivities>({ startToCloseTimeout: '10 seconds' });

export async function exampleWorkflow(): Promise<string[]> {
  return [await step('check'), await step('send')];
}
