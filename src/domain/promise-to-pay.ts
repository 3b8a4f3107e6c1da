// A promise to pay made on a call, and when the plan resumes after it. Pure: the workflow
// passes the grace in milliseconds.
import type { PromiseToPay } from './invoice';
import type { ReminderState } from './reminder';

const PROMISE_RESPONSE = 'promise_to_pay';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The promised date's day as UTC midnight, if it is a real calendar date (`2026-02-30` is not). */
function promisedDay(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const midnight = Date.UTC(year, month, day);
  const date = new Date(midnight);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month && date.getUTCDate() === day ? midnight : undefined;
}

/**
 * The promise a completed call carries: customer_response `promise_to_pay` with a valid
 * `promised_date`. The plan waits to the end of that day (UTC: the workflow has no zone data,
 * and a day late is kinder than a day early) plus the grace. A promise without a usable date
 * is no promise: the plan goes on as after any completed call. The agent's words are kept in
 * the step's contact either way.
 */
export function promiseFrom(final: ReminderState, graceMs: number): PromiseToPay | undefined {
  const outcome = final.callOutcome;
  if (final.status !== 'completed' || !outcome) return undefined;
  if (outcome.customer_response.trim().toLowerCase() !== PROMISE_RESPONSE) return undefined;
  const day = promisedDay(outcome.promised_date);
  if (day === undefined) return undefined;
  const amount = outcome.promised_amount;
  return {
    reminderId: final.reminderId,
    promisedDate: new Date(day).toISOString().slice(0, 10),
    ...(typeof amount === 'number' && Number.isFinite(amount) && amount > 0 ? { promisedAmount: amount } : {}),
    resumesAt: new Date(day + DAY_MS + graceMs).toISOString(),
  };
}
