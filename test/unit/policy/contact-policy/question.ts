// Builds policy questions at fixed instants: no test reads the clock.
import { profileFor } from '../../../../src/policy/profiles';
import type { ContactDecision, ContactProfile, ContactQuestion, ContactRecord } from '../../../../src/policy/types';

export const US = profileFor({ configured: 'US' });
export const US_MA = profileFor({ configured: 'US-MA' });
export const DEVELOPMENT = profileFor({ configured: 'development' });

export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${iso}`);
  return ms;
};

export function question(overrides: Partial<ContactQuestion> & { now: number }): ContactQuestion {
  return { channel: 'sms', zones: ['America/New_York'], profile: US, contacts: [], ...overrides };
}

export const contact = (channel: ContactRecord['channel'], iso: string, conversation?: boolean): ContactRecord => ({
  reminderId: 'reminder-1',
  attempt: 1,
  channel,
  at: at(iso),
  ...(conversation === undefined ? {} : { conversation }),
});

export const withWindow = (profile: ContactProfile, window: Partial<ContactProfile['window']>): ContactProfile => ({
  ...profile,
  window: { ...profile.window, ...window },
});

/** The deferral's instant as ISO (UTC), or the verdict when it is not a deferral. */
export const deferredUntil = (decision: ContactDecision): string =>
  decision.verdict === 'defer' ? new Date(decision.until).toISOString() : decision.verdict;

export const reasonOf = (decision: ContactDecision): string | undefined => (decision.verdict === 'allow' ? undefined : decision.reason);
