// What a plan's reminder says: the step's template with its placeholders filled in, or a
// default per channel. Pure, so the workflow renders it when the step starts, with the amount
// still owed at that moment.
import type { TemplatePlaceholder } from './invoice';
import type { Channel, Customer, Payment } from './reminder';

const DEFAULT_TEMPLATES: Record<Channel, string> = {
  sms: 'Hi {name}, a reminder that {amount} {currency} is owed on invoice {reference}, due {dueDate}. Thank you.',
  call: 'Remind {name} that {amount} {currency} is owed on invoice {reference}, due {dueDate}, and ask when they will pay.',
};

/** A placeholder in braces; `{{` or an unknown name is left as written (the API refuses unknown names). */
const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

export interface MessageFacts {
  customer: Pick<Customer, 'name'>;
  /** `amount` is what is still owed when the step starts. */
  payment: Payment;
}

/**
 * The step's message. A template is the business's words for the step, so a fallback contact
 * says them too, on its own channel; without one, the channel's default. Amounts with two
 * decimals, as the voice agent and the API show them; `{name}` is the customer's name as given.
 */
export function renderStepMessage(template: string | undefined, channel: Channel, { customer, payment }: MessageFacts): string {
  const values: Record<TemplatePlaceholder, string> = {
    name: customer.name,
    amount: payment.amount.toFixed(2),
    currency: payment.currency,
    dueDate: payment.dueDate,
    reference: payment.reference,
  };
  return (template ?? DEFAULT_TEMPLATES[channel]).replace(PLACEHOLDER, (written, name: string) =>
    Object.hasOwn(values, name) ? values[name as TemplatePlaceholder] : written,
  );
}
