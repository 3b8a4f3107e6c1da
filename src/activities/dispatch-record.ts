import { log } from '@temporalio/activity';
import type { ReminderStore } from '../store/reminder-store';
import type { ReminderSnapshot } from '../workflows/definitions';

/**
 * A write that takes longer than this is left to the workflow: the send has happened, and the
 * activity must finish well inside its 30-second start-to-close timeout, or its retries could
 * run out and report a sent message as not sent. (A write that lands later is harmless: it is
 * versioned.)
 */
const RECORD_TIMEOUT_MS = 10_000;

/**
 * Writes the projection of an attempt that has just gone out, with the id the provider gave
 * it, inside the delivery activity: the workflow then needs no write of its own for the
 * dispatch (one billable action less per attempt). Best effort: when MongoDB cannot take
 * it in time, it answers false and the workflow writes the same projection itself. The
 * write is versioned like every other, so a late or repeated one cannot move it backwards.
 */
export function createDispatchRecorder(reminders: ReminderStore) {
  return async (record: ReminderSnapshot, externalId: string): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from MongoDB in ${RECORD_TIMEOUT_MS} ms`)), RECORD_TIMEOUT_MS);
    });
    try {
      await Promise.race([reminders.save({ ...record, externalId }), timeout]);
      return true;
    } catch (error) {
      log.warn('dispatch not recorded; the workflow will record it', { error: error instanceof Error ? error.message : String(error) });
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}
