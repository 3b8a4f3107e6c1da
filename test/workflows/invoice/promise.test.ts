import { paymentRecordedSignal } from '../../../src/workflows/invoice-definitions';
import { InvoiceStatusKey } from '../../../src/workflows/search-attributes';
import { DAY, HOUR, PlanTestbed, stepStatuses, type PhoneScript } from './plan-testbed';

/** The first call answers with a promise to pay by `promisedDate`; later contacts reach the customer. */
function promising(testbed: PlanTestbed, promisedDate: string): PhoneScript {
  return {
    ...testbed.script,
    call: () =>
      testbed.calls.length === 1
        ? {
            eventType: 'call_completed',
            outcome: {
              connected: true,
              duration: 90,
              customer_response: 'promise_to_pay',
              promised_date: promisedDate,
              promised_amount: 100,
            },
          }
        : { eventType: 'call_completed', outcome: { connected: true, duration: 30, customer_response: 'acknowledged' } },
  };
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('invoiceWorkflow: a promise to pay pauses the plan', () => {
  let testbed: PlanTestbed;
  beforeAll(async () => (testbed = await PlanTestbed.start('invoice-promise')));
  afterAll(() => testbed?.system.stop());
  afterEach(() => testbed.reset());

  it('pauses until the end of the promised date plus the grace, then resumes with the catch-up rule', async () => {
    const start = await testbed.now();
    const promisedDate = dateOf(start + 2 * DAY);
    const resumesAt = Date.parse(`${promisedDate}T00:00:00.000Z`) + DAY + 2 * DAY;
    testbed.script = promising(testbed, promisedDate);
    const handle = await testbed.startPlan([
      { in: HOUR, channel: 'call', fallback: 'sms' },
      { in: 2 * DAY, channel: 'sms' }, // both come due during the pause: only the later runs
      { in: 3 * DAY, channel: 'sms' },
      { in: 20 * DAY, channel: 'sms' },
    ]);

    await testbed.env.sleep(HOUR + 60_000); // the call at the first step's instant
    const paused = await testbed.until(handle, (snapshot) => snapshot.status === 'paused');
    expect(paused.pause).toEqual({ by: 'promise', until: new Date(resumesAt).toISOString(), reason: `promise to pay by ${promisedDate}` });
    expect(paused.promises).toEqual([
      {
        reminderId: paused.steps[0]!.contacts[0]!.reminderId,
        promisedDate,
        promisedAmount: 100,
        resumesAt: new Date(resumesAt).toISOString(),
      },
    ]);
    expect(paused.waitingFor).toBe(`promise to pay until ${new Date(resumesAt).toISOString()}`);
    expect((await handle.describe()).typedSearchAttributes.get(InvoiceStatusKey)).toBe('paused');

    const result = await handle.result();
    expect(result.status).toBe('exhausted');
    expect(stepStatuses(result)).toEqual(['done', 'skipped', 'done', 'done']);
    expect(result.steps[1]!.note).toContain('step 3, runs');
    const afterPause = testbed.sent.slice(1);
    expect(afterPause.map(({ channel }) => channel)).toEqual(['sms', 'sms']);
    expect(afterPause[0]!.at).toBeGreaterThanOrEqual(resumesAt);
    expect(afterPause[0]!.at).toBeLessThan(resumesAt + HOUR);
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['paused', 'open', 'exhausted']);
  });

  it('a payment during the pause ends the plan paid, with nothing more sent', async () => {
    const start = await testbed.now();
    testbed.script = promising(testbed, dateOf(start + 2 * DAY));
    const handle = await testbed.startPlan([
      { in: HOUR, channel: 'call' },
      { in: 3 * DAY, channel: 'sms' },
    ]);
    await testbed.env.sleep(HOUR + 60_000);
    await testbed.until(handle, (snapshot) => snapshot.status === 'paused');
    await handle.signal(paymentRecordedSignal, { id: 'pay-1', amount: 100, paidAt: new Date(start + DAY).toISOString() });
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'paid', outstanding: 0, waitingFor: 'nothing: paid' });
    expect(result.pause).toBeUndefined();
    expect(stepStatuses(result)).toEqual(['done', 'stopped']);
    expect(testbed.sent).toHaveLength(1);
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['paused', 'paid']);
  });

  it('a promise without a usable date is no pause: the plan goes on', async () => {
    testbed.script = promising(testbed, 'next friday');
    const handle = await testbed.startPlan([
      { in: HOUR, channel: 'call' },
      { in: DAY, channel: 'sms' },
    ]);
    const result = await handle.result();
    expect(result.promises).toEqual([]);
    expect(testbed.sent.map(({ channel }) => channel)).toEqual(['call', 'sms']);
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['exhausted']);
  });
});
