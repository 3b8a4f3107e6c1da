import type { InvoiceView } from '../../src/api/invoice-view';
import type { ReminderHarness } from './reminder-harness';

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
