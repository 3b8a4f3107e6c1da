// The contact policy: may we contact this customer now, on this channel? Pure: zones, times,
// consent and the debt's past contacts in, a decision out (no clock, no I/O). The send
// activities and the API call it; workflow code never does (zone data changes between
// deploys, and a replay must compute what the original run computed).
//
// The checks, in order: the debt is still owed (refuse once an invoice is paid: no contact
// after a recorded payment), consent (refuse), then the caps (defer until a slot frees), then the
// window in every zone at once (defer until it opens). A deferral's `until` satisfies all of
// them, so the caller can simply sleep until it.
import { DateTime } from 'luxon';
import { isIanaZone } from './iana-zones';
import { INVOICE_PAID_REASON } from '../domain/invoice';
import type { ContactDecision, ContactProfile, ContactQuestion, ContactRecord } from './types';
import { OPTED_OUT_REASON } from './types';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * How far past the caps the window search looks for an instant open in every zone at once.
 * Two weeks covers any weekly pattern plus closed dates around it. Zones so far apart that no
 * instant is open in all of them (e.g. three zones 8 hours apart) find none: the reminder is
 * deferred by this horizon with a reason that says so, and asks again then (a DST change or a
 * passed closed date may open a window by then).
 */
export const WINDOW_SEARCH_DAYS = 14;

export class InvalidContactQuestionError extends Error {
  override readonly name = 'InvalidContactQuestionError';
}

export function decideContact(question: ContactQuestion): ContactDecision {
  if (question.invoice && question.invoice.outstanding <= 0) return { verdict: 'refuse', reason: INVOICE_PAID_REASON };
  if (isOptedOut(question)) return { verdict: 'refuse', reason: OPTED_OUT_REASON };
  const window = dailyWindow(question);
  const zones = checkedZones(question.zones);
  const cap = capHold(question);
  const from = cap?.until ?? question.now;
  const until = commonOpening(window, zones, from, from + WINDOW_SEARCH_DAYS * DAY_MS);
  if (until === undefined) return noCommonWindow(zones, from);
  if (until === question.now) return { verdict: 'allow' };
  const reference = lastOpenedZone(window, zones, until);
  if (cap) {
    const after = until > cap.until ? ' (the first contact hours after that)' : '';
    return { verdict: 'defer', until, reason: `${cap.reason}, until ${formatInstant(until, reference)}${after}` };
  }
  return { verdict: 'defer', until, reason: `outside contact hours in ${reference} until ${formatLocal(until, reference, question.now)}` };
}

// ---- Consent -----------------------------------------------------------------------------

/** An opt-out covers the channels its record names, else the profile's (SMS STOP stops calls). */
function isOptedOut({ consent, profile, channel }: ContactQuestion): boolean {
  return consent?.optedOut === true && (consent.channels ?? profile.optOutCovers).includes(channel);
}

// ---- Caps --------------------------------------------------------------------------------

/** A cap that is reached: the instant it frees a slot, and why, for people. */
interface CapHold {
  until: number;
  reason: string;
}

/** The binding cap that frees last: only then may the contact go (ties: the first listed). */
function capHold(question: ContactQuestion): CapHold | undefined {
  const holds = [callCap(question), contactCap(question), quietAfterConversation(question)];
  return holds.reduce<CapHold | undefined>((latest, hold) => (hold && (!latest || hold.until > latest.until) ? hold : latest), undefined);
}

/** Regulation F 1006.14(b)(2): call attempts per debt per rolling period. */
function callCap({ channel, contacts, now, profile: { caps } }: ContactQuestion): CapHold | undefined {
  if (channel !== 'call' || caps.maxCallAttempts === null) return undefined;
  const calls = contacts.filter((contact) => contact.channel === 'call');
  const until = slotFreesAt(calls, caps.maxCallAttempts, caps.periodDays, now);
  const reason = `call cap: ${caps.maxCallAttempts} call attempts per ${caps.periodDays} days for this debt reached`;
  return until === undefined ? undefined : { until, reason };
}

/** 940 CMR 7.04(1)(f): contacts of any channel per debt per rolling period. */
function contactCap({ contacts, now, profile: { caps } }: ContactQuestion): CapHold | undefined {
  if (caps.maxContacts === null) return undefined;
  const until = slotFreesAt(contacts, caps.maxContacts, caps.periodDays, now);
  const reason = `contact cap: ${caps.maxContacts} contacts (calls and texts) per ${caps.periodDays} days for this debt reached`;
  return until === undefined ? undefined : { until, reason };
}

/** Regulation F 1006.14(b)(2): no call for a while after a telephone conversation about the debt. */
function quietAfterConversation({ channel, contacts, now, profile: { caps } }: ContactQuestion): CapHold | undefined {
  const quietDays = caps.quietDaysAfterConversation;
  if (channel !== 'call' || quietDays === null) return undefined;
  const lastConversation = Math.max(...contacts.filter((contact) => contact.conversation === true).map((contact) => contact.at));
  const until = lastConversation + quietDays * DAY_MS;
  return until > now ? { until, reason: `no call within ${quietDays} days after a conversation about this debt` } : undefined;
}

/**
 * A contact counts while it lies in the rolling period (now − period, now]. With `max` or more
 * counted, a slot frees when enough of the oldest have left it to leave max − 1.
 */
function slotFreesAt(contacts: ContactRecord[], max: number, periodDays: number, now: number): number | undefined {
  if (!Number.isInteger(max) || max < 1)
    throw new InvalidContactQuestionError(`a contact cap must be a positive integer or null, not ${max}`);
  const periodMs = periodDays * DAY_MS;
  const counted = contacts.map((contact) => contact.at).filter((at) => at > now - periodMs);
  if (counted.length < max) return undefined;
  counted.sort((a, b) => a - b);
  return counted[counted.length - max]! + periodMs;
}

// ---- Window ------------------------------------------------------------------------------

/** The profile's window for this channel, as milliseconds after local midnight. */
interface DailyWindow {
  days: ReadonlySet<number>;
  closedDates: ReadonlySet<string>;
  opensMs: number;
  /** The last instant a contact may start, exclusive: `closes`, less the call margin for calls. */
  endMs: number;
}

function dailyWindow({ profile, channel }: ContactQuestion): DailyWindow {
  const { window } = profile;
  const opensMs = clockMs(window.opens, profile);
  const endMs = clockMs(window.closes, profile) - (channel === 'call' ? profile.callEndMarginMinutes * MINUTE_MS : 0);
  if (opensMs >= endMs)
    throw new InvalidContactQuestionError(
      `contact profile ${profile.name}: no time left in ${window.opens}–${window.closes} for a ${channel}`,
    );
  if (window.days.some((day) => !Number.isInteger(day) || day < 1 || day > 7)) {
    throw new InvalidContactQuestionError(`contact profile ${profile.name}: days are ISO weekdays 1 (Monday) to 7 (Sunday)`);
  }
  return { days: new Set(window.days), closedDates: new Set(window.closedDates), opensMs, endMs };
}

/** `HH:mm`, and `24:00` for the end of the day (an always-open window). */
function clockMs(clock: string, profile: ContactProfile): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/.exec(clock);
  if (!match) throw new InvalidContactQuestionError(`contact profile ${profile.name}: '${clock}' is not a time of day (HH:mm)`);
  return clock === '24:00' ? DAY_MS : (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
}

function checkedZones(zones: string[]): string[] {
  // With no zone, "open in all of them" would hold vacuously at any hour.
  if (zones.length === 0) throw new InvalidContactQuestionError('the customer has no time zone: the window cannot be checked');
  const unknown = zones.filter((zone) => !isIanaZone(zone));
  if (unknown.length > 0) throw new InvalidContactQuestionError(`not IANA time zones: ${unknown.join(', ')}`);
  return zones;
}

/** Wall-clock time in the zone is what the rule speaks of, so DST needs no special case. */
function isOpenAt(window: DailyWindow, zone: string, at: number): boolean {
  const local = DateTime.fromMillis(at, { zone });
  const sinceMidnight = sinceLocalMidnight(local);
  return (
    window.days.has(local.weekday) &&
    !window.closedDates.has(local.toISODate()!) &&
    sinceMidnight >= window.opensMs &&
    sinceMidnight < window.endMs
  );
}

const sinceLocalMidnight = (local: DateTime): number => ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;

/** The first opening after `at` (where the zone is closed), on the next allowed local day that has one. */
function nextOpening(window: DailyWindow, zone: string, at: number, limit: number): number | undefined {
  const opensHour = Math.floor(window.opensMs / (60 * MINUTE_MS));
  const opensMinute = (window.opensMs / MINUTE_MS) % 60;
  for (let day = DateTime.fromMillis(at, { zone }).startOf('day'); day.toMillis() <= limit; day = day.plus({ days: 1 })) {
    const opening = DateTime.fromObject(
      { year: day.year, month: day.month, day: day.day, hour: opensHour, minute: opensMinute },
      { zone },
    ).toMillis();
    if (opening > at && isOpenAt(window, zone, opening)) return opening;
  }
  return undefined;
}

/**
 * The earliest instant at or after `from` when every zone is open. No zone can open before its
 * own next opening, so jumping to the latest of the closed zones' next openings skips nothing;
 * each jump moves forward, and the search ends at `limit`.
 */
function commonOpening(window: DailyWindow, zones: string[], from: number, limit: number): number | undefined {
  for (let at = from; at <= limit;) {
    const closed = zones.filter((zone) => !isOpenAt(window, zone, at));
    if (closed.length === 0) return at;
    const openings = closed.map((zone) => nextOpening(window, zone, at, limit));
    if (openings.some((opening) => opening === undefined)) return undefined;
    at = Math.max(...(openings as number[]));
  }
  return undefined;
}

/** The zone whose window opened last before `at` (the one the customer waits for). */
function lastOpenedZone(window: DailyWindow, zones: string[], at: number): string {
  const openFor = (zone: string) => sinceLocalMidnight(DateTime.fromMillis(at, { zone })) - window.opensMs;
  return zones.reduce((latest, zone) => (openFor(zone) < openFor(latest) ? zone : latest));
}

function noCommonWindow(zones: string[], from: number): ContactDecision {
  const until = from + WINDOW_SEARCH_DAYS * DAY_MS;
  const reason = `no contact hours open in all of the customer's time zones at once (${zones.join(', ')}) within ${WINDOW_SEARCH_DAYS} days; checking again at ${formatInstant(until, 'UTC')}`;
  return { verdict: 'defer', until, reason };
}

// ---- Reason texts ------------------------------------------------------------------------

const formatInstant = (at: number, zone: string): string => `${DateTime.fromMillis(at, { zone }).toFormat('yyyy-MM-dd HH:mm')} ${zone}`;

/** Local time alone when it is within a day (`until 08:00`), with the date otherwise. */
const formatLocal = (at: number, zone: string, now: number): string =>
  DateTime.fromMillis(at, { zone }).toFormat(at - now < DAY_MS ? 'HH:mm' : 'yyyy-MM-dd HH:mm');
