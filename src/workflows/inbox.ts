import { log } from '@temporalio/workflow';
import type { ReminderEvent } from '../domain/status-machine';
import type { CallEventSignal, SmsStatusSignal } from './definitions';
import type { TrackedReminder } from './tracked-reminder';

/** A webhook event waiting to be applied, with what tells us which attempt it belongs to. */
interface InboxEntry {
  event: ReminderEvent;
  attempt?: number;
  messageSid?: string;
}

/**
 * Webhook events wait here until the attempt they belong to is dispatched: Twilio may call
 * back before sendSms returns, and a late report of an earlier attempt must not count.
 */
export class Inbox {
  private entries: InboxEntry[] = [];

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  addSmsStatus({ messageSid, messageStatus, errorCode, attempt }: SmsStatusSignal): void {
    this.entries.push({ event: { type: 'sms_status', messageStatus, errorCode }, attempt, messageSid });
  }

  addCallEvent({ eventType, outcome, attempt }: CallEventSignal): void {
    const event: ReminderEvent =
      eventType === 'call_answered'
        ? { type: 'call_answered' }
        : eventType === 'call_completed' && outcome
          ? { type: 'call_completed', outcome }
          : { type: 'call_failed', outcome };
    this.entries.push({ event, attempt });
  }

  /** Forgets what arrived between attempts: it belongs to an earlier one. */
  clear(): void {
    this.entries = [];
  }

  /** Applies the waiting events that belong to the attempt under way; drops the others. */
  applyTo(reminder: TrackedReminder): void {
    const entries = this.entries;
    this.entries = [];
    for (const entry of entries) {
      if (entry.attempt !== undefined && entry.attempt !== reminder.state.attempt) {
        log.info('event for another attempt ignored', { event: entry.event.type, eventAttempt: entry.attempt });
      } else if (entry.messageSid !== undefined && entry.messageSid !== reminder.state.externalId) {
        log.info('SMS status for another message ignored', { messageStatus: entry.event.type });
      } else {
        reminder.apply(entry.event);
      }
    }
  }
}
