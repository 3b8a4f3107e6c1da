// The built-in contact profiles: the rules of one jurisdiction each, with their legal sources.
// A deployment configures one (CONTACT_PROFILE) and may narrow its window (window-override.ts);
// a stricter region's profile replaces it for the customers who live there.
import type { Region } from '../domain/reminder';
import type { ContactProfile } from './types';
import { narrowProfile, type ContactWindowOverride } from './window-override';

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/**
 * United States, Regulation F (12 CFR part 1006).
 * - Window: 1006.6(b)(1)(i) presumes a communication before 08:00 or after 21:00 at the
 *   consumer's location inconvenient, on every day of the week; where the location is
 *   uncertain, the time must be convenient in every location the collector knows of (hence
 *   "open in all zones").
 * - Caps: 1006.14(b)(2) presumes harassment above 7 calls within 7 consecutive days about a
 *   debt, or a call within 7 days after a telephone conversation about it.
 * - Opt-out: consent may be revoked in any reasonable manner (FCC 2024, 47 CFR 64.1200(a)(10)),
 *   so a STOP by text stops calls too.
 */
const US: ContactProfile = {
  name: 'US',
  description:
    'United States (Regulation F): 08:00–21:00 local every day, 7 calls per 7 days per debt, no call for 7 days after a conversation',
  window: { days: EVERY_DAY, opens: '08:00', closes: '21:00', closedDates: [] },
  // A call must end inside the window, not merely start in it.
  callEndMarginMinutes: 15,
  caps: { periodDays: 7, maxCallAttempts: 7, maxContacts: null, quietDaysAfterConversation: 7 },
  optOutCovers: ['sms', 'call'],
};

/**
 * Massachusetts: Regulation F plus 940 CMR 7.04(1)(f), which allows at most two
 * communications by call, text or recorded message in each 7-day period per debt.
 */
const US_MA: ContactProfile = {
  ...US,
  name: 'US-MA',
  description: 'Massachusetts (Regulation F and 940 CMR 7.04(1)(f)): as US, and at most 2 contacts (calls and texts) per 7 days per debt',
  caps: { ...US.caps, maxContacts: 2 },
};

/**
 * For local use only: the window is always open and nothing is capped, so a newcomer can try
 * the service at any hour. Opt-outs are still honoured: they are the customer's word, not a
 * time rule. Never a production profile: it has no legal basis.
 */
const DEVELOPMENT: ContactProfile = {
  name: 'development',
  description: 'Development: contact at any hour, no caps (local use only); opt-outs still honoured',
  window: { days: EVERY_DAY, opens: '00:00', closes: '24:00', closedDates: [] },
  callEndMarginMinutes: 0,
  caps: { periodDays: 7, maxCallAttempts: null, maxContacts: null, quietDaysAfterConversation: null },
  optOutCovers: ['sms', 'call'],
};

const PROFILES = { US, 'US-MA': US_MA, development: DEVELOPMENT } as const satisfies Record<string, ContactProfile>;

export type ContactProfileName = keyof typeof PROFILES;

/** Every built-in profile name, for validating configuration and requests. */
export const CONTACT_PROFILE_NAMES = Object.keys(PROFILES) as ContactProfileName[];

/** Where a configured profile gives way to a stricter one for customers of a subdivision. */
const STRICTER_BY_SUBDIVISION: Partial<Record<ContactProfileName, Partial<Record<string, ContactProfileName>>>> = {
  US: { 'US-MA': 'US-MA' },
};

export class UnknownContactProfileError extends Error {
  override readonly name = 'UnknownContactProfileError';
  constructor(readonly profileName: string) {
    super(`unknown contact profile '${profileName}' (known: ${CONTACT_PROFILE_NAMES.join(', ')})`);
  }
}

export const isContactProfileName = (name: string): name is ContactProfileName => Object.hasOwn(PROFILES, name);

function profileNamed(name: string): ContactProfile {
  if (!isContactProfileName(name)) throw new UnknownContactProfileError(name);
  return PROFILES[name];
}

/**
 * The profile that governs one customer: the configured one, unless the customer's
 * subdivision has a stricter profile under it (US → US-MA), narrowed by the operator's
 * `window` override when configured. A request cannot choose its own: an API client could
 * otherwise choose a looser one.
 */
export function profileFor(options: { configured: string; region?: Region; window?: ContactWindowOverride }): ContactProfile {
  const configured = profileNamed(options.configured);
  const subdivision = options.region?.subdivision?.toUpperCase();
  const stricter = subdivision ? STRICTER_BY_SUBDIVISION[configured.name as ContactProfileName]?.[subdivision] : undefined;
  return narrowProfile(stricter ? PROFILES[stricter] : configured, options.window);
}
