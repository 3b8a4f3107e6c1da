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
} as const;
