import { DateTime } from 'luxon';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';
import { INVOICE_PAID_REASON } from '../../src/domain/invoice';
import type { InvoiceView } from '../../src/api/invoice-view';
import type { ReminderView } from '../../src/api/reminder-view';
import { contactsOf, invoiceApi, planDriver } from '../support/invoice-api';
import { invoiceRequest } from '../support/invoice-bodies';
import { postCallEvent } from '../support/signed-requests';
import { startTimeSkippingSystem, testServerClock, type TimeSkippingSystem } from '../support/time-skipping';

/**
 * Invoice plans on the real stack (API, worker, FerretDB, Twilio stand-in, the voice agent) on
 * the time-skipping server, so a ten-day plan runs in seconds. The tests skip the test
 * server's clock to each step's instant and then poll the API in real time, so the stand-ins'
 * callbacks arrive before the 10-minute report timers (see contact-policy.test.ts).
 */
describe('invoice plans, end to end (time-skipping server)', () => {
  let system: TimeSkippingSystem;
  let clock: ReturnType<typeof testServerClock>;
  let plans: ReturnType<typeof invoiceApi>;
  let driveUntil: ReturnType<typeof planDriver>;

  // A fresh test server per test, as in contact-policy.test.ts (long-lived connections get GOAWAY).
  const start = async (contactProfile: string) => {
    system = await startTimeSkippingSystem({ contactProfile, simulatedAgent: true, timings: { retryBackoff: '5 minutes' } });
    clock = testServerClock(system.env);
    plans = invoiceApi(system.harness);
    driveUntil = planDriver(system, plans);
  };
  afterEach(() => system?.stop());

  /** A due date far enough ahead of the test server's now that every step of the default plan is in the future. */
  const dueDateAhead = async (days: number) =>
    DateTime.fromMillis(await system.env.currentTimeMs(), { zone: 'America/New_York' })
      .plus({ days })
      .toISODate()!;
  const smsTo = (phone: string) => system.harness.twilio.messages.filter((message) => message.to === phone).length;
  const reminder = async (id: string) => (await system.harness.api<ReminderView>('GET', `/api/reminders/${id}`)).body;
  const dialled = (view: ReminderView) => view.history.filter((entry) => entry.status === 'in_progress').length;

  it('runs the default plan, SMS and calls, over ten days, at 10:00 in the customer’s zone, and ends exhausted', async () => {
    await start('US');
    const reference = 'INV-PLAN-DEFAULT';
    const created = await plans.create(invoiceRequest({ reference, dueDate: await dueDateAhead(4) }));
    expect(created.plan.map((step) => [step.at, step.channel, step.fallback])).toEqual([
      ['-3d', 'sms', undefined],
      ['0d', 'call', 'sms'],
      ['+3d', 'sms', undefined],
      ['+7d', 'call', 'sms'],
    ]);
    for (const step of created.plan) {
      expect(DateTime.fromISO(step.scheduledAt, { zone: 'America/New_York' }).toFormat('HH:mm')).toBe('10:00');
      await clock.skipTo(DateTime.fromISO(step.scheduledAt));
      await plans.waitFor(reference, (invoice) => invoice.steps[step.number - 1]!.status === 'done', 60_000);
    }
    const ended = await plans.waitFor(reference, (invoice) => invoice.status === 'exhausted');
    const contacts = contactsOf(ended);
    expect(contacts.map((contact) => [contact.channel, contact.role, contact.status])).toEqual([
      ['sms', 'step', 'completed'],
      ['call', 'step', 'completed'],
      ['sms', 'step', 'completed'],
      ['call', 'step', 'completed'],
    ]);
    expect(smsTo(created.customer.phone)).toBe(2);
    // Each step is its own reminder (a child workflow), linked to the invoice.
    for (const contact of contacts) expect((await reminder(contact.reminderId)).invoice).toEqual({ reference });
  });

  it('a payment after the first step ends the plan paid: the steps it waited for are stopped and nothing more goes out', async () => {
    await start('development');
    const reference = 'INV-PLAN-PAID';
    const phone = '+14155550191';
    const created = await plans.create(
      invoiceRequest({ reference, dueDate: await dueDateAhead(4), customer: { id: 'plan-paid', name: 'Paid Up', phone } }),
    );
    await clock.skipTo(DateTime.fromISO(created.plan[0]!.scheduledAt));
    // Step 1 done, the plan waits on its own timer for step 2 (no reminder exists for it yet).
    await plans.waitFor(reference, (invoice) => invoice.steps[0]!.status === 'done' && invoice.waitingFor.startsWith('step 2 '));

    await plans.pay(reference, { amount: created.amount, id: 'pay-1' });
    const paid = await plans.waitFor(reference, (invoice) => invoice.status === 'paid');
    expect(paid.outstanding).toBe(0);
    expect(paid.steps.slice(1).map((step) => [step.status, step.note, step.contacts.length])).toEqual([
      ['stopped', INVOICE_PAID_REASON, 0],
      ['stopped', INVOICE_PAID_REASON, 0],
      ['stopped', INVOICE_PAID_REASON, 0],
    ]);

    await clock.skipTo(DateTime.fromISO(created.plan[3]!.scheduledAt).plus({ days: 1 }));
    expect(smsTo(phone)).toBe(1);
    expect(contactsOf(await plans.get(reference))).toHaveLength(1);
  });

  it('a payment recorded a moment before a send (the plan not yet told) stops that send: nothing goes out', async () => {
    await start('development');
    const reference = 'INV-PLAN-RACE';
    const phone = '+14155550192';
    const created = await plans.create(
      invoiceRequest({
        reference,
        dueDate: await dueDateAhead(2),
        customer: { id: 'plan-race', name: 'Just In Time', phone },
        plan: [{ at: '0d', channel: 'sms' }],
      }),
    );
    // What the API does first: the payment is in the store before the workflow is signalled.
    // Here the signal never comes, so the plan starts the step's reminder when it is due, and
    // only the send activity's own check can stop the send.
    await system.harness.invoices.recordPayment(
      reference,
      { id: 'pay-race', amount: created.amount, paidAt: new Date().toISOString() },
      'api',
    );

    await clock.skipTo(DateTime.fromISO(created.plan[0]!.scheduledAt));
    const step = (await plans.waitFor(reference, (invoice) => invoice.steps[0]!.contacts.length === 1)).steps[0]!.contacts[0]!;
    expect(await system.harness.waitForReminder(step.reminderId, (view) => view.status === 'cancelled')).toMatchObject({
      skipReason: INVOICE_PAID_REASON,
    });
    expect(smsTo(phone)).toBe(0);
  });

  it('a payment during a call does not hang up on the customer: the plan ends paid when the call reports', async () => {
    await start('development');
    const reference = 'INV-PLAN-MID-CALL';
    const phone = SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT; // the agent stays silent: this test reports as the agent
    const created = await plans.create(
      invoiceRequest({
        reference,
        dueDate: await dueDateAhead(2),
        customer: { id: 'plan-mid-call', name: 'On The Phone', phone, timezone: 'America/New_York' },
        plan: [
          { at: '0d', channel: 'call' },
          { at: '+3d', channel: 'sms' },
        ],
      }),
    );
    await clock.skipTo(DateTime.fromISO(created.plan[0]!.scheduledAt));
    const step = (await plans.waitFor(reference, (invoice) => invoice.steps[0]!.contacts.length === 1)).steps[0]!.contacts[0]!;
    await system.harness.waitForReminder(step.reminderId, (view) => view.status === 'in_progress');
    const report = (payload: Record<string, unknown>) =>
      postCallEvent(system.harness.baseUrl, { reminder_id: step.reminderId, attempt: 1, ...payload });
    expect((await report({ event_type: 'call_answered' })).status).toBe(200);
    await system.harness.waitForReminder(step.reminderId, (view) => view.status === 'processing');

    await plans.pay(reference, { amount: created.amount, id: 'paid-while-talking' });
    const paidMidCall = await plans.waitFor(reference, (invoice) => invoice.status === 'paid');
    expect(paidMidCall.steps[0]!.status).toBe('running');
    expect((await reminder(step.reminderId)).status).toBe('processing');

    const outcome = { connected: true, duration: 95, customer_response: 'already_paid', notes: 'paid online during the call' };
    expect((await report({ event_type: 'call_completed', outcome })).status).toBe(200);
    const ended = await plans.waitFor(reference, (invoice) => invoice.steps[0]!.status === 'done');
    expect(ended.status).toBe('paid');
    expect(ended.steps[1]!.status).toBe('stopped');
    expect(await system.harness.waitForReminder(step.reminderId, (view) => view.status === 'completed')).toMatchObject({
      callOutcome: outcome,
    });
  });

  it('an SMS that is never delivered falls back to a call, made inside the contact window', async () => {
    await start('US');
    const reference = 'INV-PLAN-FALLBACK';
    const phone = SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE;
    await plans.create(
      invoiceRequest({
        reference,
        dueDate: await dueDateAhead(2),
        customer: { id: 'plan-fallback', name: 'No Texts', phone, timezone: 'America/New_York' },
        plan: [{ at: '0d', channel: 'sms', fallback: 'call' }],
      }),
    );
    // +1 500 numbers may be in any NANP zone: the window open in all of them is 22:00–02:00 UTC.
    const contacts = contactsOf(await driveUntil(reference, (view) => view.status === 'exhausted'));
    expect(contacts.map((contact) => [contact.channel, contact.role, contact.status])).toEqual([
      ['sms', 'step', 'failed'],
      ['call', 'fallback', 'completed'],
    ]);
    expect(contacts[1]!.reason).toMatch(/undelivered/);
    const call = await reminder(contacts[1]!.reminderId);
    const dialledAt = DateTime.fromISO(call.history.find((entry) => entry.status === 'in_progress')!.at, { zone: 'UTC' });
    expect(dialledAt.hour >= 22 || dialledAt.hour < 2).toBe(true);
    expect(dialled(call)).toBe(1);
  });

  it('a promise to pay on a call pauses the plan until the promised date plus the grace, then it resumes', async () => {
    await start('development');
    const reference = 'INV-PLAN-PROMISE';
    const phone = SCRIPTED_NUMBERS.CALL_PROMISE_TO_PAY;
    const dueDate = await dueDateAhead(2);
    const created = await plans.create(
      invoiceRequest({
        reference,
        dueDate,
        customer: { id: 'plan-promise', name: 'Will Pay', phone, timezone: 'America/New_York' },
        plan: [
          { at: '0d', channel: 'call' },
          { at: '+1d', channel: 'sms' },
        ],
      }),
    );
    await clock.skipTo(DateTime.fromISO(created.plan[0]!.scheduledAt));
    const paused = await plans.waitFor(reference, (invoice) => invoice.status === 'paused', 60_000);
    const promisedDate = DateTime.fromISO(dueDate, { zone: 'UTC' }).plus({ days: 5 }).toISODate();
    expect(paused.promises).toEqual([expect.objectContaining({ promisedDate })]);
    expect(paused.pause).toMatchObject({ by: 'promise' });
    const resumesAt = DateTime.fromISO(paused.promises[0]!.resumesAt);
    expect(resumesAt >= DateTime.fromISO(`${promisedDate}T00:00:00Z`).plus({ days: 2 })).toBe(true);

    await clock.skipTo(DateTime.fromISO(created.plan[1]!.scheduledAt).plus({ days: 1 }));
    expect(smsTo(phone)).toBe(0); // step 2 was due, but the plan keeps its promise
    expect((await plans.get(reference)).status).toBe('paused');

    await clock.skipTo(resumesAt);
    const ended = await plans.waitFor(reference, (invoice) => invoice.status === 'exhausted', 60_000);
    expect(contactsOf(ended).map((contact) => [contact.channel, contact.status])).toEqual([
      ['call', 'completed'],
      ['sms', 'completed'],
    ]);
    expect(smsTo(phone)).toBe(1);
  });

  it('operators pause (the waiting plan holds its step), resume (the step comes due: it runs at once) and cancel', async () => {
    await start('development');
    const reference = 'INV-PLAN-OPS';
    const phone = '+14155550193';
    const created = await plans.create(
      invoiceRequest({ reference, dueDate: await dueDateAhead(4), customer: { id: 'plan-ops', name: 'Op Erator', phone } }),
    );
    await plans.waitFor(reference, (invoice) => invoice.waitingFor.startsWith('step 1 '));

    expect((await system.harness.api('POST', `/api/invoices/${reference}/resume`)).status).toBe(409);
    const pause = await system.harness.api('POST', `/api/invoices/${reference}/pause`, { reason: 'customer disputes the amount' });
    expect(pause.status).toBe(200);
    expect((await system.harness.api('POST', `/api/invoices/${reference}/pause`, { reason: 'again' })).status).toBe(409);
    await clock.skipTo(DateTime.fromISO(created.plan[0]!.scheduledAt).plus({ hours: 1 }));
    expect(smsTo(phone)).toBe(0);
    expect(contactsOf(await plans.get(reference))).toHaveLength(0);

    expect((await system.harness.api('POST', `/api/invoices/${reference}/resume`)).status).toBe(200);
    const resumed = await plans.waitFor(reference, (invoice) => contactsOf(invoice).some((contact) => contact.status === 'completed'));
    expect(resumed.steps[0]!.contacts).toHaveLength(1);
    expect(smsTo(phone)).toBe(1);

    const cancel = await system.harness.api('POST', `/api/invoices/${reference}/cancel`, { reason: 'written off' });
    expect(cancel.status).toBe(200);
    const cancelled = await plans.waitFor(reference, (invoice) => invoice.status === 'cancelled');
    expect(cancelled.steps.slice(1).every((step) => step.status !== 'done')).toBe(true);
    expect((await system.harness.api('POST', `/api/invoices/${reference}/cancel`, {})).status).toBe(409);
    await clock.skipTo(DateTime.fromISO(created.plan[3]!.scheduledAt).plus({ days: 1 }));
    expect(smsTo(phone)).toBe(1);
  });

  it('an invoice created twice is one plan; the same reference with other details is a conflict', async () => {
    await start('development');
    const request = invoiceRequest({ reference: 'INV-PLAN-TWICE', dueDate: await dueDateAhead(4) });
    const first = await system.harness.api<InvoiceView>('POST', '/api/invoices', request);
    expect(first.status).toBe(201);
    const again = await system.harness.api<InvoiceView>('POST', '/api/invoices', request);
    expect(again.status).toBe(200);
    expect(again.body.createdAt).toBe(first.body.createdAt);
    const conflict = await system.harness.api('POST', '/api/invoices', { ...request, amount: 999 });
    expect(conflict.status).toBe(409);
    // One run: the workflow id's first run is still the one running, and its first step makes one contact.
    const description = await system.harness.client.workflow.getHandle('invoice-INV-PLAN-TWICE').describe();
    expect(description.status.name).toBe('RUNNING');
    await clock.skipTo(DateTime.fromISO(first.body.plan[0]!.scheduledAt));
    const plan = await plans.waitFor('INV-PLAN-TWICE', (invoice) => invoice.steps[0]!.status === 'done');
    expect(contactsOf(plan)).toHaveLength(1);
    expect(smsTo(request.customer.phone)).toBe(1);
  });
});
