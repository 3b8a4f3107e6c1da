// The invoice API's JSON bodies, typed from the source like api-bodies.ts, and a request builder.
import { randomUUID } from 'node:crypto';
import type { InvoiceService, PaymentReceipt } from '../../src/api/invoice-service';

export type { InvoiceView } from '../../src/api/invoice-view';
export type { PaymentReceipt };
export type InvoiceList = Awaited<ReturnType<InvoiceService['list']>>;

/** A fresh reference per call, so tests sharing one database never collide. */
export const newReference = (prefix = 'INV') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A valid POST /api/invoices body, due far ahead so no step comes due while a test runs. */
export function invoiceRequest(overrides: Record<string, unknown> = {}) {
  return {
    reference: newReference(),
    customer: { id: 'cust-inv', name: 'Ada Lovelace', phone: '+12125550123', timezone: 'America/New_York' },
    amount: 120.5,
    currency: 'USD',
    dueDate: '2030-03-10',
    ...overrides,
  };
}
