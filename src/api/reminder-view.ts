import type { ReminderDocument } from '../store/reminder-store';
import type { ReminderSnapshot } from '../workflows/definitions';

/** The reminder as the API returns it (JSON, dates as ISO strings, no internals). */
export type ReminderView = Omit<ReminderSnapshot, 'requestFingerprint' | 'version'> & {
  updatedAt?: string;
  /** Texts the customer sent while the reminder was open (other than opt-out, opt-in and help keywords). */
  inboundMessages?: { at: string; body: string; messageSid: string }[];
};

export function viewFromDocument(document: ReminderDocument): ReminderView {
  const {
    _id,
    requestFingerprint: _fingerprint,
    version: _version,
    createdAt,
    updatedAt,
    sendAt,
    nextAttemptAt,
    history,
    inbound,
    ...rest
  } = document;
  return {
    ...rest,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    ...(sendAt ? { sendAt: sendAt.toISOString() } : {}),
    ...(nextAttemptAt ? { nextAttemptAt: nextAttemptAt.toISOString() } : {}),
    history: history.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
    ...(inbound?.length ? { inboundMessages: inbound.map((message) => ({ ...message, at: message.at.toISOString() })) } : {}),
  };
}

export function viewFromSnapshot(snapshot: ReminderSnapshot): ReminderView {
  const { requestFingerprint: _fingerprint, version: _version, ...rest } = snapshot;
  return rest;
}
