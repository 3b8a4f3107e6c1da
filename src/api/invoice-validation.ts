import { z } from 'zod';
import { INVOICE_STATUSES } from '../domain/invoice';
import { planSchema, type PlanBounds } from '../domain/plan-schedule';
import { amountSchema, currencySchema, customerSchema, text } from './validation';

/**
 * An invoice reference: it names the workflow (`invoice-<reference>`) and sits in URLs, so
 * letters, digits and `. _ : -` only, starting with a letter or digit.
 */
export const invoiceReferenceSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1 to 128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');

/** POST /api/invoices, with the configured plan bounds. Strict, as every create body is. */
export function createInvoiceSchema(bounds: PlanBounds) {
  return z.strictObject({
    reference: invoiceReferenceSchema,
    customer: customerSchema,
    amount: amountSchema,
    currency: currencySchema,
    dueDate: z.iso.date(),
    plan: planSchema(bounds).optional(),
  });
}
export type CreateInvoiceRequest = z.infer<ReturnType<typeof createInvoiceSchema>>;

export const listInvoicesSchema = z.strictObject({
  status: z.enum(INVOICE_STATUSES).optional(),
  customerId: text(128).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** A payment's id: the caller's (their payment provider's), so a retry records it once. */
const paymentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1 to 128 letters, digits, ".", "_", ":" or "-", starting with a letter or digit');

/** POST /api/invoices/:reference/payments. */
export const recordPaymentSchema = z.strictObject({
  amount: amountSchema,
  paidAt: z.iso.datetime({ offset: true }).optional(),
  id: paymentIdSchema.optional(),
});
export type RecordPaymentRequest = z.infer<typeof recordPaymentSchema>;

/**
 * POST /api/webhooks/payments: the payment provider's event. Only `payment.succeeded` records
 * a payment; other types are acknowledged and ignored (providers send many). Extra fields in
 * `data` are allowed: a provider adds fields without asking.
 */
export const paymentWebhookSchema = z.object({
  type: z.string().min(1).max(100),
  data: z.unknown(),
});
export const paymentSucceededSchema = z.object({
  invoiceReference: invoiceReferenceSchema,
  paymentId: paymentIdSchema,
  amount: amountSchema,
  paidAt: z.iso.datetime({ offset: true }),
});

/** POST /api/invoices/:reference/pause. */
export const pausePlanSchema = z.strictObject({
  until: z.iso.datetime({ offset: true }).optional(),
  reason: text(500),
});

/** POST /api/invoices/:reference/cancel (the body is optional). */
export const cancelPlanSchema = z.strictObject({ reason: text(500).optional() });
