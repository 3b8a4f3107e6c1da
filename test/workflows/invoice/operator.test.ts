import { WorkflowUpdateFailedError } from '@temporalio/client';
import { PLAN_CANCELLED_REASON, PLAN_PAUSED_REASON } from '../../../src/domain/invoice';
import { callEventSignal, reminderQuery } from '../../../src/workflows/definitions';
import { cancelPlanUpdate, pausePlanUpdate, resumePlanUpdate, type InvoiceSnapshot } from '../../../src/workflows/invoice-definitions';
import { eventually } from '../../support/stub-workflow-env';
import { DAY, HOUR, PlanTestbed, stepStatuses } from './plan-testbed';

/** The validator's message, from the failure the client reports. */
async function rejection(update: Promise<unknown>): Promise<string> {
  const error = await update.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`expected a rejected update, got ${String(error)}`);
  return (error.cause as Error).message;
}

describe('invoiceWorkflow: operators pause, resume and cancel a plan', () => {
  let testbed: PlanTestbed;
  beforeAll(async () => (testbed = await PlanTestbed.start('invoice-operator')));
  afterAll(() => testbed?.system.stop());
  afterEach(() => testbed.reset());

  const plan = [
    { in: HOUR, channel: 'sms' as const },
    { in: 2 * DAY, channel: 'sms' as const },
  ];

  /** The plan waits on its own timer for step 1: no reminder exists yet. */
  const waitingForStep1 = (snapshot: InvoiceSnapshot) => snapshot.waitingFor.startsWith('step 1 ');

  it('a pause holds a plan waiting for its step; resume after the instant runs the step at once; cancel ends the plan', async () => {
    const handle = await testbed.startPlan(plan);
    await testbed.until(handle, waitingForStep1);

    const paused = await handle.executeUpdate(pausePlanUpdate, { args: [{ reason: 'customer disputes the invoice' }] });
    expect(paused).toMatchObject({ status: 'paused', pause: { by: 'operator', reason: 'customer disputes the invoice' } });
    expect(paused.waitingFor).toBe('paused by operator: customer disputes the invoice');
    expect(paused.steps[0]).toMatchObject({ status: 'scheduled', contacts: [] });
    expect(await rejection(handle.executeUpdate(pausePlanUpdate, { args: [{ reason: 'again' }] }))).toBe(
      'only an open plan can be paused (it is paused by an operator)',
    );

    // Three hours later step 1 has come due, and nothing went out; on resume it runs at once.
    await testbed.env.sleep(3 * HOUR);
    expect(testbed.sent).toHaveLength(0);
    expect(await handle.executeUpdate(resumePlanUpdate)).toMatchObject({ status: 'open' });
    const resumed = await testbed.until(handle, (snapshot) => snapshot.steps[0]!.status === 'done');
    expect(resumed.steps[0]!.contacts.map(({ status }) => status)).toEqual(['completed']);
    expect(testbed.sent).toHaveLength(1);

    const cancelled = await handle.executeUpdate(cancelPlanUpdate, { args: [{ reason: 'written off' }] });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'written off' });
    const result = await handle.result();
    expect(result.status).toBe('cancelled');
    expect(stepStatuses(result)).toEqual(['done', 'stopped']);
    expect(result.steps[1]).toMatchObject({ note: `${PLAN_CANCELLED_REASON}: written off`, contacts: [] });
    expect(testbed.sent).toHaveLength(1);
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['paused', 'open', 'cancelled']);
  });

  it("a pause stops a step's reminder waiting to retry; resume runs the step again as a new reminder", async () => {
    let smsSent = 0;
    testbed.script = { ...testbed.script, sms: () => ({ messageStatus: ++smsSent === 1 ? 'undelivered' : 'delivered' }) };
    const handle = await testbed.startPlan(plan, {
      reminders: { maxAttempts: 3, timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' } },
    });
    await testbed.env.sleep(HOUR);
    const out = await testbed.until(handle, (snapshot) => snapshot.steps[0]!.contacts.length === 1);
    const firstReminder = out.steps[0]!.contacts[0]!.reminderId;
    await eventually(async () => ((await testbed.reminder(firstReminder).query(reminderQuery)).attempt === 1 ? true : undefined));

    await handle.executeUpdate(pausePlanUpdate, { args: [{ reason: 'customer disputes the invoice' }] });
    expect(await testbed.reminder(firstReminder).result()).toMatchObject({
      status: 'cancelled',
      skipReason: `${PLAN_PAUSED_REASON}: customer disputes the invoice`,
    });
    const waiting = await testbed.until(handle, (snapshot) => snapshot.steps[0]!.status === 'scheduled');
    expect(waiting.steps[0]!.note).toBe('interrupted by a pause: runs again as a new reminder on resume');

    await handle.executeUpdate(resumePlanUpdate);
    const resumed = await testbed.until(handle, (snapshot) => snapshot.steps[0]!.status === 'done');
    expect(resumed.steps[0]!.contacts.map(({ status }) => status)).toEqual(['cancelled', 'completed']);
    expect(resumed.steps[0]!.contacts[1]!.reminderId).not.toBe(firstReminder);
    expect(testbed.sent).toHaveLength(2);
  });

  it('a pause until a date resumes by itself then', async () => {
    const handle = await testbed.startPlan(plan);
    await testbed.until(handle, waitingForStep1);
    const until = new Date((await testbed.now()) + DAY).toISOString();
    await handle.executeUpdate(pausePlanUpdate, { args: [{ reason: 'holiday', until }] });
    const result = await handle.result();
    expect(result.status).toBe('exhausted');
    expect(testbed.sent[0]!.at).toBeGreaterThanOrEqual(Date.parse(until));
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['paused', 'open', 'exhausted']);
  });

  it("rejects what does not apply to the plan's state, and says why", async () => {
    testbed.script = { ...testbed.script, call: () => undefined }; // the call stays out until the test reports it
    const handle = await testbed.startPlan([{ in: HOUR, channel: 'call' }, ...plan]);
    await testbed.until(handle, waitingForStep1);

    expect(await rejection(handle.executeUpdate(resumePlanUpdate))).toBe('only a paused plan can be resumed (it is open)');
    expect(await rejection(handle.executeUpdate(pausePlanUpdate, { args: [{ reason: ' ' }] }))).toBe('a pause needs a reason');
    expect(await rejection(handle.executeUpdate(pausePlanUpdate, { args: [{ reason: 'x', until: 'tomorrow' }] }))).toBe(
      '"tomorrow" is not an ISO timestamp',
    );
    const past = new Date((await testbed.now()) - 60_000).toISOString();
    expect(await rejection(handle.executeUpdate(pausePlanUpdate, { args: [{ reason: 'x', until: past }] }))).toBe(
      `pause until ${past} is not in the future`,
    );

    // Cancelled while the call is out: the call is not hung up on, and the plan waits for it.
    await testbed.env.sleep(HOUR + 60_000);
    const dispatched = await eventually(() => testbed.calls[0]);
    await handle.executeUpdate(cancelPlanUpdate, { args: [{}] });
    expect(await rejection(handle.executeUpdate(cancelPlanUpdate, { args: [{ reason: 'again' }] }))).toBe('the plan is already cancelled');
    expect(await rejection(handle.executeUpdate(pausePlanUpdate, { args: [{ reason: 'x' }] }))).toBe(
      'only an open plan can be paused (it is cancelled)',
    );
    await testbed.reminder(dispatched.reminderId).signal(callEventSignal, {
      eventType: 'call_completed',
      attempt: 1,
      outcome: { connected: true, duration: 40, customer_response: 'acknowledged' },
    });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'cancelled', cancelReason: 'Cancelled by request' });
    expect(stepStatuses(result)).toEqual(['done', 'stopped', 'stopped']);
    expect(result.steps[0]!.contacts[0]!.status).toBe('completed');
  });
});
