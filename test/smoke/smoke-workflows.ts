// Workflows used only by the smoke tests that prove the real Temporal servers work.
import { proxyActivities, sleep } from '@temporalio/workflow';

const { greet } = proxyActivities<{ greet(name: string): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

export async function greetingWorkflow(name: string): Promise<string> {
  return greet(name);
}

export async function tenMinuteTimerWorkflow(): Promise<string> {
  await sleep('10 minutes');
  return 'woke up';
}
