/**
 * The MongoDB collections the service keeps, named once: the store classes open them by
 * these names, and the local stacks and the chaos runner prepare and clean them by the same.
 */
export const COLLECTIONS = {
  /** One document per reminder: its latest snapshot (reminder-store.ts). */
  reminders: 'reminders',
  /** One claim per SMS attempt, so a retried send never texts twice (send-ledger.ts). */
  smsSends: 'sms_sends',
  /** Webhook ids already accepted, so a redelivery is not processed twice (seen-webhook-ids.ts). */
  webhookDeliveries: 'webhook_deliveries',
  /** One consent record per phone number, with its history (consents.ts). */
  consents: 'consents',
  /** One document per debt: its latest known contacts, a cache of contactVersions (contact-ledger.ts). */
  contactDebts: 'contact_debts',
  /** One document per state of a debt's contacts; inserting the next one is the compare-and-set (contact-ledger.ts). */
  contactVersions: 'contact_versions',
  /** Every contact deferred or refused, per customer; contacts made are their versions' events (contact-ledger.ts). */
  contactEvents: 'contact_events',
  /** One document per invoice: its details, resolved plan and latest plan snapshot (invoices.ts). */
  invoices: 'invoices',
  /** One document per payment recorded for an invoice; its _id makes recording idempotent (invoices.ts). */
  invoicePayments: 'invoice_payments',
  /** Webhook reports Temporal could not take when they came, until they are signalled (pending-reports.ts). */
  pendingReports: 'pending_reports',
} as const;
