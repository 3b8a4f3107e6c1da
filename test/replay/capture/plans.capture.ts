// Runs every path of the invoice plan on the time-skipping server (a plan spans days) and saves
// the parent's history as `<path>.json` and each reminder it started as `<path>--reminder-<n>.json`
// (n in the order the plan started them), for the replay tests and the bench's cost section.
import { DateTime } from 'luxon';
import { SCRIPTED_NUMBERS } from '../../../dev/standins/scripted-numbers';
import type { InvoiceView } from '../../../src/api/invoice-view';
import { invoiceWorkflowId } from '../../../src/workflows/invoice-definitions';
import { reminderWorkflowId } from '../../../src/workflows/definitions';
import { contactsOf, invoiceApi, planDriver } from '../../support/invoice-api';
import { invoiceRequest } from '../../support/invoice-bodies';
import { startTimeSkippingSystem, testServerClock, type TimeSkippingSystem } from '../../support/time-skipping';
import { saveHistory } from './save-history';

describe('capture invoice plan histories (time-skipping server)', () => {
  let system: TimeSkippingSystem;
  let plans: ReturnType<typeof invoiceApi>;
  let driveUntil: ReturnType<typeof planDriver>;
  let skipTo: ReturnType<typeof testServerClock>['skipTo'];
  // A fresh test server per path, as the end-to-end plan tests do (long-lived connections get GOAWAY).
  beforeEach(async () => {
    system = await startTimeSkippingSystem({ simulatedAgent: true, timings: { retryBackoff: '5 minutes' } });
    plans = invoiceApi(system.harness);
    driveUntil = planDriver(system, plans);
    ({ skipTo } = testServerClock(system.env));
  });
  afterEach(() => system?.stop());

  const dueDateAhead = async (days: number) =>
    DateTime.fromMillis(await system.env.currentTimeMs(), { zone: 'America/New_York' })
      .plus({ days })
      .toISODate()!;
  const customer = (id: string, phone: string) => ({ id, name: 'Cap Ture', phone, timezone: 'America/New_York' });

  const save = async (name: string, invoice: InvoiceView) => {
    const { env } = system;
    await saveHistory(env.client, env.address, invoiceWorkflowId(invoice.reference), name);
    const contacts = contactsOf(invoice);
    for (const [index, contact] of contacts.entries()) {
      await saveHistory(env.client, env.address, reminderWorkflowId(contact.reminderId), `${name}--reminder-${index + 1}`);
    }
  };
  const TERMINAL = ['completed', 'failed', 'cancelled'];
  /** The plan has ended and so has every reminder it started. */
  const ended = (invoice: InvoiceView) =>
    invoice.status !== 'open' && invoice.status !== 'paused' && contactsOf(invoice).every((contact) => TERMINAL.includes(contact.status));

  it('plan-delivered', async () => {
    const created = await plans.create(
      invoiceRequest({ reference: 'CAP-DELIVERED', dueDate: await dueDateAhead(4), customer: customer('cap-1', '+12125550601') }),
    );
    await save('plan-delivered', await driveUntil(created.reference, (invoice) => invoice.status === 'exhausted'));
  });

  it('plan-paid-after-first-step', async () => {
    const created = await plans.create(
      invoiceRequest({ reference: 'CAP-PAID', dueDate: await dueDateAhead(4), customer: customer('cap-2', '+12125550602') }),
    );
    // Paid while the plan waits on its own timer for step 2: that step never starts a reminder.
    await driveUntil(created.reference, (invoice) => invoice.steps[0]!.status === 'done' && invoice.waitingFor.startsWith('step 2 '));
    await plans.pay(created.reference, { amount: created.amount, id: 'capture-payment' });
    await save('plan-paid-after-first-step', await plans.waitFor(created.reference, ended));
  });

  it('plan-paid-during-retry', async () => {
    const created = await plans.create(
      invoiceRequest({
        reference: 'CAP-PAID-RETRY',
        dueDate: await dueDateAhead(2),
        customer: customer('cap-6', SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE),
        plan: [{ at: '0d', channel: 'sms' }],
      }),
    );
    // The step's reminder waits out its backoff after an undelivered SMS: the payment stops it.
    const step = (await driveUntil(created.reference, (invoice) => invoice.steps[0]!.contacts.length === 1)).steps[0]!.contacts[0]!;
    await system.harness.waitForReminder(step.reminderId, (view) => view.status === 'pending' && view.attempt === 1);
    await plans.pay(created.reference, { amount: created.amount, id: 'capture-payment' });
    await save('plan-paid-during-retry', await plans.waitFor(created.reference, ended));
  });

  it('plan-fallback-sms-to-call', async () => {
    const created = await plans.create(
      invoiceRequest({
        reference: 'CAP-FALLBACK',
        dueDate: await dueDateAhead(2),
        customer: customer('cap-3', SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE),
        plan: [{ at: '0d', channel: 'sms', fallback: 'call' }],
      }),
    );
    await save('plan-fallback-sms-to-call', await driveUntil(created.reference, (invoice) => invoice.status === 'exhausted'));
  });

  it('plan-promise-then-resumed', async () => {
    const created = await plans.create(
      invoiceRequest({
        reference: 'CAP-PROMISE',
        dueDate: await dueDateAhead(2),
        customer: customer('cap-4', SCRIPTED_NUMBERS.CALL_PROMISE_TO_PAY),
        plan: [
          { at: '0d', channel: 'call' },
          { at: '+1d', channel: 'sms' },
        ],
      }),
    );
    const paused = await driveUntil(created.reference, (invoice) => invoice.status === 'paused');
    await skipTo(DateTime.fromISO(paused.promises[0]!.resumesAt));
    await save('plan-promise-then-resumed', await driveUntil(created.reference, (invoice) => invoice.status === 'exhausted'));
  });

  it('plan-paused-resumed-cancelled', async () => {
    const created = await plans.create(
      invoiceRequest({ reference: 'CAP-OPERATOR', dueDate: await dueDateAhead(4), customer: customer('cap-5', '+12125550605') }),
    );
    // Paused while the plan waits for step 1, resumed after its instant: it runs at once.
    await plans.waitFor(created.reference, (invoice) => invoice.waitingFor.startsWith('step 1 '));
    expect((await system.harness.api('POST', `/api/invoices/${created.reference}/pause`, { reason: 'captured' })).status).toBe(200);
    await skipTo(DateTime.fromISO(created.plan[0]!.scheduledAt).plus({ hours: 1 }));
    expect((await system.harness.api('POST', `/api/invoices/${created.reference}/resume`)).status).toBe(200);
    await driveUntil(created.reference, (invoice) => invoice.steps[0]!.status === 'done');
    expect((await system.harness.api('POST', `/api/invoices/${created.reference}/cancel`, { reason: 'captured' })).status).toBe(200);
    await save('plan-paused-resumed-cancelled', await plans.waitFor(created.reference, ended));
  });
});
