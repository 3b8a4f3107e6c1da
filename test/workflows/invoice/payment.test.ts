import { INVOICE_PAID_REASON } from '../../../src/domain/invoice';
import { paymentRecordedSignal } from '../../../src/workflows/invoice-definitions';
import { InvoiceStatusKey } from '../../../src/workflows/search-attributes';
import { reminderQuery } from '../../../src/workflows/definitions';
import { eventually } from '../../support/stub-workflow-env';
import { DAY, HOUR, PlanTestbed, stepStatuses } from './plan-testbed';

describe('invoiceWorkflow: a payment stops the plan', () => {
  let testbed: PlanTestbed;
  beforeAll(async () => (testbed = await PlanTestbed.start('invoice-payment')));
  afterAll(() => testbed?.system.stop());
  afterEach(() => testbed.reset());

  const plan = [
    { in: HOUR, channel: 'sms' as const },
    { in: DAY, channel: 'call' as const, fallback: 'sms' as const },
    { in: 3 * DAY, channel: 'sms' as const },
  ];

  it('a full payment while the first step is out ends the plan paid: no further reminder, later steps stopped', async () => {
    testbed.script = {
      ...testbed.script,
      // Twice, as a retried webhook would: recording is idempotent on the payment's id.
      afterSend: async () => {
        const payment = { id: 'pay-1', amount: 100, paidAt: '2026-12-01T10:00:00.000Z' };
        await handle.signal(paymentRecordedSignal, payment);
        await handle.signal(paymentRecordedSignal, payment);
      },
    };
    const handle = await testbed.startPlan(plan);
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'paid', outstanding: 0, waitingFor: 'nothing: paid' });
    expect(result.payments).toHaveLength(1);
    expect(testbed.sent).toHaveLength(1);
    // The SMS was already out: not interrupted, it was delivered, so the step is done.
    expect(stepStatuses(result)).toEqual(['done', 'stopped', 'stopped']);
    expect(result.steps[0]!.contacts.map((contact) => contact.status)).toEqual(['completed']);
    expect(result.steps.slice(1).map((step) => step.note)).toEqual([INVOICE_PAID_REASON, INVOICE_PAID_REASON]);
    expect(result.steps.slice(1).every((step) => step.contacts.length === 0)).toBe(true);
    expect((await handle.describe()).typedSearchAttributes.get(InvoiceStatusKey)).toBe('paid');
    expect(testbed.invoiceWrites.map(({ status }) => status)).toEqual(['paid']);
  });

  it(`a payment while the plan waits for a step's instant stops every step with "${INVOICE_PAID_REASON}": no reminder starts, nothing is sent`, async () => {
    const handle = await testbed.startPlan(plan);
    const waiting = await testbed.until(handle, (snapshot) => snapshot.version > 0);
    expect(waiting.waitingFor).toBe(`step 1 (sms) due at ${waiting.steps[0]!.scheduledAt}`);

    await handle.signal(paymentRecordedSignal, { id: 'pay-1', amount: 60, paidAt: '2026-12-01T10:00:00.000Z' });
    await handle.signal(paymentRecordedSignal, { id: 'pay-2', amount: 40, paidAt: '2026-12-01T10:05:00.000Z' });
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'paid', outstanding: 0 });
    expect(testbed.sent).toHaveLength(0);
    expect(stepStatuses(result)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(result.steps.map((step) => [step.note, step.contacts.length])).toEqual([
      [INVOICE_PAID_REASON, 0],
      [INVOICE_PAID_REASON, 0],
      [INVOICE_PAID_REASON, 0],
    ]);
    expect(testbed.reminderWrites).toHaveLength(0);
  });

  it(`a payment while a step's reminder waits to retry cancels it with "${INVOICE_PAID_REASON}" before its next attempt`, async () => {
    testbed.script = { ...testbed.script, sms: () => ({ messageStatus: 'undelivered', errorCode: '30003' }) };
    const handle = await testbed.startPlan(plan, {
      reminders: { maxAttempts: 3, timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' } },
    });
    await testbed.env.sleep(HOUR);
    const out = await testbed.until(handle, (snapshot) => snapshot.steps[0]!.contacts.length === 1);
    const reminderId = out.steps[0]!.contacts[0]!.reminderId;
    // Attempt 1 undelivered: the reminder waits out its backoff, pending again.
    await eventually(async () => {
      const { status, attempt } = await testbed.reminder(reminderId).query(reminderQuery);
      return status === 'pending' && attempt === 1 ? true : undefined;
    });

    await handle.signal(paymentRecordedSignal, { id: 'pay-1', amount: 100, paidAt: '2026-12-01T10:00:00.000Z' });
    const result = await handle.result();

    expect(testbed.sent).toHaveLength(1);
    expect(await testbed.reminder(reminderId).result()).toMatchObject({ status: 'cancelled', skipReason: INVOICE_PAID_REASON, attempt: 1 });
    expect(stepStatuses(result)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(result.steps[0]!.contacts[0]).toMatchObject({ status: 'cancelled', skipReason: INVOICE_PAID_REASON });
  });
});
