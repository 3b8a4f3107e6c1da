import { reminderQuery } from '../../../src/workflows/definitions';
import { CustomerIdKey, InvoiceReferenceKey, InvoiceStatusKey } from '../../../src/workflows/search-attributes';
import { DAY, HOUR, PlanTestbed, stepStatuses } from './plan-testbed';

/** The default plan's shape: -3d SMS, 0d call (fallback SMS), +3d SMS, +7d call (fallback SMS), the due date 3 days out. */
const DEFAULT_PLAN = [
  { in: HOUR, channel: 'sms', fallback: undefined },
  { in: 3 * DAY + HOUR, channel: 'call', fallback: 'sms' },
  { in: 6 * DAY + HOUR, channel: 'sms', fallback: undefined },
  { in: 10 * DAY + HOUR, channel: 'call', fallback: 'sms' },
] as const;

describe('invoiceWorkflow: the cadence', () => {
  let testbed: PlanTestbed;
  beforeAll(async () => (testbed = await PlanTestbed.start('invoice-cadence')));
  afterAll(() => testbed?.system.stop());
  afterEach(() => testbed.reset());

  it('runs the four steps of the default plan over ten days, each as a child reminder at its instant, and ends exhausted', async () => {
    const start = await testbed.now();
    const handle = await testbed.startPlan(DEFAULT_PLAN.map(({ fallback, ...step }) => (fallback ? { ...step, fallback } : step)));
    const result = await handle.result();

    expect(result.status).toBe('exhausted');
    expect(stepStatuses(result)).toEqual(['done', 'done', 'done', 'done']);
    expect(testbed.sent.map(({ channel }) => channel)).toEqual(['sms', 'call', 'sms', 'call']);
    testbed.sent.forEach(({ at }, index) => {
      expect(at).toBeGreaterThanOrEqual(start + DEFAULT_PLAN[index]!.in);
      expect(at).toBeLessThan(start + DEFAULT_PLAN[index]!.in + HOUR);
    });
    expect(testbed.sent.at(-1)!.at - testbed.sent[0]!.at).toBeGreaterThan(10 * DAY - HOUR);
    // Each contact is its own reminder (a UUID, like the API's), and the plan heard how it ended.
    const reminderIds = result.steps.map((step) => step.contacts[0]!.reminderId);
    expect(new Set(reminderIds).size).toBe(4);
    reminderIds.forEach((id) => expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/));
    expect(result.steps.map((step) => step.contacts.map(({ role, status }) => ({ role, status })))).toEqual(
      Array(4).fill([{ role: 'step', status: 'completed' }]),
    );
    expect(result.waitingFor).toBe('nothing: exhausted');
    // Per-step detail lives in the reminders' own projections; the plan wrote only its end.
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['exhausted']);
    expect(testbed.invoiceWrites[0]).toMatchObject({ workflowId: handle.workflowId, reference: result.reference, version: result.version });
  });

  it("gives each reminder the plan's invoice, what is still owed, its rendered message and the operators' search attributes", async () => {
    testbed.script = {
      ...testbed.script,
      afterSend: async (request) => {
        if (request.attempt === 1 && testbed.sms.length === 1) {
          await handle.signal('paymentRecorded', { id: 'p1', amount: 40, paidAt: new Date(await testbed.now()).toISOString() });
        }
      },
    };
    const handle = await testbed.startPlan([
      { in: HOUR, channel: 'sms' },
      { in: DAY, channel: 'sms', template: 'Still {amount} {currency} on {reference}, {name}.' },
    ]);
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'exhausted', outstanding: 60, payments: [{ id: 'p1', amount: 40 }] });
    const [first, second] = testbed.sms;
    expect(first!.record).toMatchObject({
      payment: { amount: 100, reference: result.reference },
      invoice: { reference: result.reference },
    });
    expect(first!.body).toContain('100.00 USD');
    expect(second!.record.payment.amount).toBe(60);
    expect(second!.body).toBe(`Still 60.00 USD on ${result.reference}, Ada Lovelace.`);

    const child = testbed.reminder(result.steps[1]!.contacts[0]!.reminderId);
    const description = await child.describe();
    expect(description.typedSearchAttributes.get(InvoiceReferenceKey)).toBe(result.reference);
    expect(description.typedSearchAttributes.get(CustomerIdKey)).toBe('c1');
    expect(await description.staticSummary()).toBe(`${result.reference}: step 2 of 2, sms`);
    expect(description.parentExecution?.workflowId).toBe(handle.workflowId);
    expect((await child.query(reminderQuery)).invoice).toEqual({ reference: result.reference });
    // A partial payment is no plan-level transition: no upsert, no write until the end.
    expect((await handle.describe()).typedSearchAttributes.get(InvoiceStatusKey)).toBe('exhausted');
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['exhausted']);
  });
});
