import { decideContact } from '../../../../src/policy/contact-policy';
import { OPTED_OUT_REASON } from '../../../../src/policy/types';
import type { ContactProfile } from '../../../../src/policy/types';
import { at, contact, DEVELOPMENT, question, US } from './question';

// Inside the window (12:00 in New York), so only consent decides.
const noon = at('2026-12-01T17:00:00Z');

describe('consent', () => {
  it('refuses a text and a call to a number that opted out: the profile says an opt-out covers both', () => {
    for (const channel of ['sms', 'call'] as const) {
      expect(decideContact(question({ now: noon, channel, consent: { optedOut: true } }))).toEqual({
        verdict: 'refuse',
        reason: OPTED_OUT_REASON,
      });
    }
  });

  it('allows a channel the opt-out record does not cover', () => {
    const textsOnly = { optedOut: true, channels: ['sms' as const] };
    expect(decideContact(question({ now: noon, channel: 'sms', consent: textsOnly })).verdict).toBe('refuse');
    expect(decideContact(question({ now: noon, channel: 'call', consent: textsOnly }))).toEqual({ verdict: 'allow' });
  });

  it('follows the profile when the record names no channels', () => {
    const smsOnlyProfile: ContactProfile = { ...US, optOutCovers: ['sms'] };
    expect(decideContact(question({ now: noon, channel: 'call', profile: smsOnlyProfile, consent: { optedOut: true } }))).toEqual({
      verdict: 'allow',
    });
    expect(decideContact(question({ now: noon, channel: 'sms', profile: smsOnlyProfile, consent: { optedOut: true } })).verdict).toBe(
      'refuse',
    );
  });

  it('allows a number that opted back in, or has no record', () => {
    expect(decideContact(question({ now: noon, consent: { optedOut: false } }))).toEqual({ verdict: 'allow' });
    expect(decideContact(question({ now: noon }))).toEqual({ verdict: 'allow' });
  });

  it('refuses before any window or cap: an opted-out number is refused at 03:00 with caps reached', () => {
    const calls = Array.from({ length: 7 }, () => contact('call', '2026-11-30T17:00:00Z'));
    const night = at('2026-12-01T08:00:00Z');
    expect(decideContact(question({ now: night, channel: 'call', contacts: calls, consent: { optedOut: true } }))).toEqual({
      verdict: 'refuse',
      reason: OPTED_OUT_REASON,
    });
  });

  it('the development profile still honours opt-outs, and otherwise allows any hour', () => {
    const night = at('2026-12-01T08:00:00Z');
    expect(decideContact(question({ now: night, profile: DEVELOPMENT, consent: { optedOut: true } })).verdict).toBe('refuse');
    expect(decideContact(question({ now: night, profile: DEVELOPMENT, channel: 'call' }))).toEqual({ verdict: 'allow' });
  });
});
