// The contact policy's vocabulary: what it is asked, what it answers, and the profiles that
// set its rules. Pure types: the policy module (zones and times in, a decision out) and
// everything that calls it (the send activities, the API) share them.
import type { Channel } from '../domain/reminder';

/** When contact is allowed, as local wall-clock time in every zone the customer may be in. */
export interface ContactWindow {
  /** ISO weekdays the window opens on (1 = Monday … 7 = Sunday). */
  days: number[];
  /** Local time the window opens, `HH:mm` (e.g. `08:00`). */
  opens: string;
  /** Local time the window closes, `HH:mm` (e.g. `21:00`); no contact at or after it. */
  closes: string;
  /** Local dates (`YYYY-MM-DD`) with no contact at all (holidays). */
  closedDates: string[];
}

/** Limits per debt (one customer's invoice reference), across both channels and all reminders. */
export interface ContactCaps {
  /** The rolling period the caps count over, in days. */
  periodDays: number;
  /** Call attempts per debt per period (Regulation F 1006.14(b)(2): 7 in 7 days); null: none. */
  maxCallAttempts: number | null;
  /** Contacts of any channel per debt per period (940 CMR 7.04(1)(f): 2 in 7 days); null: none. */
  maxContacts: number | null;
  /** No call for this many days after a conversation about the debt (Regulation F: 7); null: none. */
  quietDaysAfterConversation: number | null;
}

export interface ContactProfile {
  /** e.g. `US`, `US-MA`, `development`. */
  name: string;
  /** One line for people: what the profile is and where its rules come from. */
  description: string;
  window: ContactWindow;
  /** A call is placed only if it can end inside the window: the last dial is `closes` minus this. */
  callEndMarginMinutes: number;
  caps: ContactCaps;
  /** The channels an opt-out covers (an SMS STOP stops calls too unless a profile says otherwise). */
  optOutCovers: Channel[];
}

/** One contact made (or attempted) for a debt: what the caps count. */
export interface ContactRecord {
  reminderId: string;
  attempt: number;
  channel: Channel;
  /** Epoch milliseconds. */
  at: number;
  /** A conversation about the debt took place (a connected call). */
  conversation?: boolean;
}

/** A phone number's consent, as the policy needs it. */
export interface ConsentState {
  optedOut: boolean;
  /** The channels the opt-out covers, when the record says; otherwise the profile's `optOutCovers`. */
  channels?: Channel[];
}

export interface ContactQuestion {
  /** Epoch milliseconds. */
  now: number;
  channel: Channel;
  /** Every IANA zone the customer may be in (the window must be open in all of them). */
  zones: string[];
  profile: ContactProfile;
  consent?: ConsentState;
  /** The contacts already made for this debt (any reminder, any channel). */
  contacts: ContactRecord[];
  /** For a step of an invoice plan: what the invoice still owes, read right before the contact. */
  invoice?: { outstanding: number };
}

export type ContactDecision =
  | { verdict: 'allow' }
  /** Not now: try again at `until` (epoch ms); `reason` reads as the reminder's waitingReason. */
  | { verdict: 'defer'; until: number; reason: string }
  /** Never: e.g. `Recipient opted out`. */
  | { verdict: 'refuse'; reason: string };

export const OPTED_OUT_REASON = 'Recipient opted out';
