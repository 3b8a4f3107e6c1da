import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { Channel } from '../domain/reminder';

/**
 * Custom search attributes operators filter reminders by in the Web UI and CLI.
 * Not named `Status`: a custom `Status` clashes with the Web UI's own column (temporalio/ui#2577).
 */
export const ReminderStatusKey = defineSearchAttributeKey('ReminderStatus', SearchAttributeType.KEYWORD);
export const ReminderChannelKey = defineSearchAttributeKey('ReminderChannel', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const ReminderAttemptKey = defineSearchAttributeKey('ReminderAttempt', SearchAttributeType.INT);
export const NextAttemptAtKey = defineSearchAttributeKey('NextAttemptAt', SearchAttributeType.DATETIME);
/** On an invoice plan and on each of its reminders, so one filter finds the parent and its children. */
export const InvoiceReferenceKey = defineSearchAttributeKey('InvoiceReference', SearchAttributeType.KEYWORD);
/** The plan's status (open, paused, paid, cancelled, exhausted); upserted only when it changes. */
export const InvoiceStatusKey = defineSearchAttributeKey('InvoiceStatus', SearchAttributeType.KEYWORD);

/**
 * What a new reminder carries from its start (free, unlike an upsert), whoever starts it: the
 * API for a single reminder, an invoice plan for its steps (which adds `InvoiceReference`).
 */
export function newReminderSearchAttributes(reminder: { channel: Channel; customer: { id: string } }): SearchAttributePair[] {
  return [
    { key: ReminderStatusKey, value: 'pending' },
    { key: ReminderChannelKey, value: reminder.channel },
    { key: CustomerIdKey, value: reminder.customer.id },
    { key: ReminderAttemptKey, value: 0 },
  ];
}

/** `Name=Type` pairs as `temporal server start-dev --search-attribute` and `temporal operator` take them. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS = [
  'ReminderStatus=Keyword',
  'ReminderChannel=Keyword',
  'CustomerId=Keyword',
  'ReminderAttempt=Int',
  'NextAttemptAt=Datetime',
  'InvoiceReference=Keyword',
  'InvoiceStatus=Keyword',
] as const;
