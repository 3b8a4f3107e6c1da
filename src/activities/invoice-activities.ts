import type { InvoiceSnapshot } from '../workflows/invoice-definitions';

/**
 * Where the invoice plan's projection goes (src/store/invoices.ts implements it). Each save is
 * the whole snapshot at a version: `stale` when a newer one is already stored, so a retried
 * or late write never moves the plan backwards.
 */
export interface InvoiceProjectionStore {
  save(snapshot: InvoiceSnapshot): Promise<'written' | 'stale'>;
}

export function createInvoiceActivities({ invoices }: { invoices: InvoiceProjectionStore }) {
  return {
    /** Only at the plan's own transitions (paused, resumed, ended); each step's reminder keeps its own projection. */
    async saveInvoiceProjection(snapshot: InvoiceSnapshot): Promise<void> {
      await invoices.save(snapshot);
    },
  };
}
