// A bare workflow with the SMS happy path's shape and nothing else: the same 2 activities
// (sendSms, which records the dispatch, and saveProjection; here no-ops), the same signal
// (delivered) and the same single 10-minute timer, cancelled when the report arrives. No
// search attributes, no status machine (unless `bookkeeping`). Section 2
// runs it beside the real reminder workflow.
import {
  CancellationScope,
  condition,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { ReminderAttemptKey, ReminderStatusKey } from '../src/workflows/search-attributes';
import { bareStatusSignal, type BareActivities, type BareInput, type BareResult } from './bare-definitions';

const activities = proxyActivities<BareActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 6 },
});

export async function bareReminderWorkflow(input: BareInput): Promise<BareResult> {
  const inbox: { status: 'sent' | 'delivered'; sentAt: number }[] = [];
  setHandler(bareStatusSignal, (signal) => void inbox.push(signal));
  const bookkeeping = input.bookkeeping === true;
  const setStatus = (status: string, attempt?: number) => {
    if (!bookkeeping) return;
    upsertSearchAttributes([{ key: ReminderStatusKey, value: status }, ...(attempt ? [{ key: ReminderAttemptKey, value: attempt }] : [])]);
  };

  await activities.send({ workflowId: workflowInfo().workflowId, callbackDelayMs: input.callbackDelayMs });
  setStatus('in_progress', 1);

  let expired = false;
  const timer = new CancellationScope();
  timer
    .run(() => sleep('10 minutes'))
    .then(
      () => void (expired = true),
      () => undefined,
    );
  let deliveredSentAt = 0;
  for (;;) {
    await condition(() => expired || inbox.length > 0);
    for (const signal of inbox.splice(0)) if (signal.status === 'delivered') deliveredSentAt = signal.sentAt;
    if (deliveredSentAt || expired) break;
  }
  if (!expired) timer.cancel();
  setStatus('completed');
  const recordedAt = await activities.record('completed');
  return { deliveredSentAt, recordedAt };
}
