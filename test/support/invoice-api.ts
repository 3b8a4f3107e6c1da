import { DateTime } from 'luxon';
import type { InvoiceView } from '../../src/api/invoice-view';
import type { ReminderView } from '../../src/api/reminder-view';
import type { ReminderHarness } from './reminder-harness';
import { testServerClock, type TimeSkippingSystem } from './time-skipping';

/** The invoice API as tests use it: create, read, wait for a state, act. */
export function invoiceApi(harness: ReminderHarness) {
  const get = async (reference: string) => {
    const response = await harness.api<InvoiceView>('GET', `/api/invoices/${reference}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  return {
    get,
    async create(request: Record<string, unknown>) {
      const response = await harness.api<InvoiceView>('POST', '/api/invoices', request);
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async pay(reference: string, payment: { amount: number; id?: string }) {
      const response = await harness.api('POST', `/api/invoices/${reference}/payments`, payment);
      expect([200, 201]).toContain(response.status);
      return response.body;
    },
    /** Polls the API (not the workflow result: awaiting one lets the test server skip past the report timers). */
    async waitFor(reference: string, predicate: (invoice: InvoiceView) => boolean, timeoutMs = 30_000): Promise<InvoiceView> {
      const deadline = Date.now() + timeoutMs;
      let last: InvoiceView | undefined;
      while (Date.now() < deadline) {
        last = await get(reference);
        if (predicate(last)) return last;
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      throw new Error(`invoice ${reference} did not reach the expected state; last: ${JSON.stringify(last, null, 1)}`);
    },
  };
}

/** Every contact the plan's steps made, in order. */
export const contactsOf = (invoice: InvoiceView) => invoice.steps.flatMap((step) => step.contacts);

/**
 * Lets a plan run on the time-skipping server until `done`: whenever the plan waits for its
 * next step's instant, or its open reminder for a time (the window, a backoff), the test
 * server's clock skips there; otherwise it waits in real time for the stand-ins' callbacks (skipping then would
 * fire the 10-minute report timers first).
 */
export function planDriver(system: TimeSkippingSystem, plans: ReturnType<typeof invoiceApi>) {
  const { skipTo } = testServerClock(system.env);
  const nextAttemptAt = async (reminderId: string) =>
    (await system.harness.api<ReminderView>('GET', `/api/reminders/${reminderId}`)).body.nextAttemptAt;
  return async (reference: string, done: (invoice: InvoiceView) => boolean, timeoutMs = 90_000): Promise<InvoiceView> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const invoice = await plans.get(reference);
      if (done(invoice)) return invoice;
      const waiting = contactsOf(invoice).filter((contact) => contact.status === 'pending');
      // Between steps the plan's own timer waits for the next step's instant; while a step runs,
      // its reminder's timer waits for its next attempt (or a callback is awaited in real time).
      const between = invoice.status === 'open' && !invoice.steps.some((step) => step.status === 'running');
      const nextStep = between ? invoice.steps.find((step) => step.status === 'scheduled')?.scheduledAt : undefined;
      const due = [...(await Promise.all(waiting.map((contact) => nextAttemptAt(contact.reminderId)))), nextStep]
        .filter((at): at is string => at !== undefined)
        .sort()[0];
      if (due && Date.parse(due) > (await system.env.currentTimeMs())) await skipTo(DateTime.fromISO(due));
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`invoice ${reference} did not get there; last: ${JSON.stringify(await plans.get(reference), null, 1)}`);
  };
}
