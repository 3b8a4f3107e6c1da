// An operator's narrowing of the configured profile's window: fewer days, shorter hours,
// dates with no contact, a longer last-dial margin for calls (CONTACT_WINDOW_DAYS,
// CONTACT_WINDOW_HOURS, CONTACT_CLOSED_DATES, CONTACT_CALL_END_MARGIN).
//
// Why it may only narrow: a legal profile's window and margin are its jurisdiction's limits
// (Regulation F presumes a contact before 08:00 or after 21:00 local inconvenient), the floor
// every deployment must keep, not a default to tune. An operator may keep to less (a company's
// own hours, its holidays), never to more. So configuration that reaches outside the configured
// profile is refused at start (`wideningProblems`), and applying an override intersects it with
// whichever profile governs a customer (`narrowProfile`), so it cannot widen a stricter
// region's profile either. The development profile is open at all hours, so any override
// narrows it.
import type { ContactProfile } from './types';

export interface ContactWindowOverride {
  /** ISO weekdays (1 = Monday … 7 = Sunday) contact is allowed on. */
  days?: number[];
  /** Local `HH:mm` the window opens and closes (`24:00` for the end of the day). */
  hours?: { opens: string; closes: string };
  /** Local dates (`YYYY-MM-DD`) with no contact, besides the profile's own. */
  closedDates?: string[];
  /** The last dial is the window's close minus this. */
  callEndMarginMinutes?: number;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const dayNames = (days: number[]): string => days.map((day) => WEEKDAY_NAMES[day - 1] ?? String(day)).join(',');

// `HH:mm` (and `24:00`) compare as strings in time order: both are zero-padded.
const later = (a: string, b: string): string => (a > b ? a : b);
const earlier = (a: string, b: string): string => (a < b ? a : b);
const minutesOf = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** The profile with the override's narrowing applied; never wider than the profile. */
export function narrowProfile(profile: ContactProfile, override: ContactWindowOverride = {}): ContactProfile {
  const { days, hours, closedDates, callEndMarginMinutes } = override;
  if (days === undefined && hours === undefined && closedDates === undefined && callEndMarginMinutes === undefined) return profile;
  const window = {
    days: days ? profile.window.days.filter((day) => days.includes(day)) : profile.window.days,
    opens: hours ? later(hours.opens, profile.window.opens) : profile.window.opens,
    closes: hours ? earlier(hours.closes, profile.window.closes) : profile.window.closes,
    closedDates: closedDates ? [...new Set([...profile.window.closedDates, ...closedDates])].sort() : profile.window.closedDates,
  };
  const margin = Math.max(profile.callEndMarginMinutes, callEndMarginMinutes ?? 0);
  return {
    ...profile,
    description: `${profile.description}; narrowed by configuration: ${describeOverride(override)}`,
    window,
    callEndMarginMinutes: margin,
  };
}

/** The override in a few words, for the start-up line and the profile's description. */
export function describeOverride({ days, hours, closedDates, callEndMarginMinutes }: ContactWindowOverride): string {
  return [
    days && `days ${dayNames(days)}`,
    hours && `hours ${hours.opens}–${hours.closes}`,
    closedDates && `no contact on ${closedDates.join(', ')}`,
    callEndMarginMinutes !== undefined && `last dial ${callEndMarginMinutes} minutes before the close`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * What in the override would widen the profile, or leave a call no time at all, by the
 * override's field; empty when it only narrows.
 */
export function wideningProblems(
  profile: ContactProfile,
  override: ContactWindowOverride,
): Partial<Record<keyof ContactWindowOverride, string>> {
  const problems: Partial<Record<keyof ContactWindowOverride, string>> = {};
  const limit = `the ${profile.name} profile's`;
  const { days, hours, callEndMarginMinutes } = override;
  const extraDays = (days ?? []).filter((day) => !profile.window.days.includes(day));
  if (extraDays.length > 0) {
    problems.days = `${dayNames(extraDays)} lie outside ${limit} days (${dayNames(profile.window.days)}); an override may only narrow them`;
  }
  if (hours && (hours.opens < profile.window.opens || hours.closes > profile.window.closes)) {
    problems.hours = `${hours.opens}-${hours.closes} reaches outside ${limit} hours ${profile.window.opens}–${profile.window.closes}, its legal limit; an override may only narrow them`;
  }
  if (callEndMarginMinutes !== undefined && callEndMarginMinutes < profile.callEndMarginMinutes) {
    problems.callEndMarginMinutes = `${callEndMarginMinutes} minutes is shorter than ${limit} ${profile.callEndMarginMinutes} minutes; an override may only lengthen it`;
  }
  const narrowed = narrowProfile(profile, override);
  const callMinutes = minutesOf(narrowed.window.closes) - narrowed.callEndMarginMinutes - minutesOf(narrowed.window.opens);
  if (callMinutes <= 0 && !problems.hours && !problems.callEndMarginMinutes) {
    const field = callEndMarginMinutes !== undefined ? 'callEndMarginMinutes' : 'hours';
    problems[field] =
      `leaves no time for a call: the last dial (${narrowed.callEndMarginMinutes} minutes before ${narrowed.window.closes}) is not after the opening at ${narrowed.window.opens}`;
  }
  return problems;
}
