// Creating reminders through the real API, as a client would.
import { BENCH_SECRETS } from './stack';
import { mapConcurrent } from './stats';

export interface CreateOptions {
  channel: 'sms' | 'call';
  phone: string;
  /** customer.id of every reminder of this batch, to find them in the projection. */
  customerId: string;
  count: number;
  concurrency: number;
  /** Called with the number created so far (e.g. to log progress). */
  onCreated?: (done: number) => void;
  /** Start no new create after this time (ms since the epoch): a time box. */
  deadline?: number;
  /** Schedule every reminder for this time (ISO) instead of now. */
  sendAt?: string;
  /** Added to each index (idempotency key, invoice reference) when creating one batch in parts. */
  keyOffset?: number;
}

/** Creates up to `count` reminders; fewer if the deadline passes first. Returns their ids in order. */
export async function createReminders(apiUrl: string, options: CreateOptions): Promise<string[]> {
  let done = 0;
  const offset = options.keyOffset ?? 0;
  const ids = await mapConcurrent(
    Array.from({ length: options.count }, (_, index) => index + offset),
    options.concurrency,
    async (index) => {
      if (options.deadline !== undefined && Date.now() >= options.deadline) return undefined;
      const body = JSON.stringify({
        channel: options.channel,
        customer: { id: options.customerId, name: `Bench Customer ${index}`, phone: options.phone },
        payment: { amount: 120.5, currency: 'USD', dueDate: '2026-12-01', reference: `INV-B${index}` },
        ...(options.sendAt ? { sendAt: options.sendAt } : {}),
      });
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${apiUrl}/api/reminders`, {
          method: 'POST',
          // The key makes a retry after a 503 safe: the same key is the same reminder.
          headers: {
            authorization: `Bearer ${BENCH_SECRETS.apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': `${options.customerId}-${index}`,
          },
          body,
        });
        const text = await response.text();
        if (response.status === 201 || response.status === 200) {
          options.onCreated?.(++done);
          return (JSON.parse(text) as { reminderId: string }).reminderId;
        }
        // 503 = Temporal could not take it now; the API says to retry. Anything else is a bench bug.
        if (response.status !== 503 || attempt >= 5)
          throw new Error(`POST /api/reminders answered ${response.status}: ${text.slice(0, 300)}`);
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    },
  );
  return ids.filter((id): id is string => id !== undefined);
}

export interface CreateInvoicesOptions {
  phone: string;
  /** customer.id of every invoice of this batch. */
  customerId: string;
  /** Invoice references are `<referencePrefix>-<index>`. */
  referencePrefix: string;
  count: number;
  concurrency: number;
  /** The invoices' due date (ISO date): far enough ahead, no step of the default plan comes due. */
  dueDate: string;
  onCreated?: (done: number) => void;
  /** Start no new create after this time (ms since the epoch): a time box. */
  deadline?: number;
}

/** Creates up to `count` invoices, each starting its default plan; fewer if the deadline passes first. Returns their references. */
export async function createInvoices(apiUrl: string, options: CreateInvoicesOptions): Promise<string[]> {
  let done = 0;
  const references = await mapConcurrent(
    Array.from({ length: options.count }, (_, index) => index),
    options.concurrency,
    async (index) => {
      if (options.deadline !== undefined && Date.now() >= options.deadline) return undefined;
      const reference = `${options.referencePrefix}-${index}`;
      const body = JSON.stringify({
        reference,
        customer: { id: options.customerId, name: `Bench Customer ${index}`, phone: options.phone, timezone: 'America/New_York' },
        amount: 120.5,
        currency: 'USD',
        dueDate: options.dueDate,
      });
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(`${apiUrl}/api/invoices`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BENCH_SECRETS.apiKey}`, 'content-type': 'application/json' },
          body,
        });
        const text = await response.text();
        // The reference makes a retry safe: the same body is the same plan (200).
        if (response.status === 201 || response.status === 200) {
          options.onCreated?.(++done);
          return reference;
        }
        if (response.status !== 503 || attempt >= 5)
          throw new Error(`POST /api/invoices answered ${response.status}: ${text.slice(0, 300)}`);
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    },
  );
  return references.filter((reference): reference is string => reference !== undefined);
}
