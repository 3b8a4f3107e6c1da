import type { Customer, Payment } from '../domain/reminder';

/** The default reminder text, used when the request gives none. */
export function defaultMessage({ customer, payment }: { customer: Customer; payment: Payment }): string {
  const firstName = customer.name.split(/\s+/)[0];
  return (
    `Hi ${firstName}, this is a reminder that your payment of ${payment.amount.toFixed(2)} ${payment.currency} ` +
    `(ref ${payment.reference}) is due on ${payment.dueDate}. Thank you.`
  );
}
