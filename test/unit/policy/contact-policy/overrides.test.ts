import { decideContact } from '../../../../src/policy/contact-policy';
import { profileFor } from '../../../../src/policy/profiles';
import type { ContactWindowOverride } from '../../../../src/policy/window-override';
import { at, deferredUntil, question, reasonOf } from './question';

// The policy sees an operator's override through the profile profileFor builds, as the contact
// check does. December: New York UTC−5, Los Angeles UTC−8.
const decide = (
  window: ContactWindowOverride,
  iso: string,
  options: { channel?: 'sms' | 'call'; zones?: string[]; configured?: string } = {},
) =>
  decideContact(
    question({
      now: at(iso),
      channel: options.channel ?? 'sms',
      zones: options.zones ?? ['America/New_York'],
      profile: profileFor({ configured: options.configured ?? 'US', window }),
    }),
  );

describe('the contact policy honours an operator’s narrowed window', () => {
  it('days: a Saturday waits for Monday 08:00 local under mon-fri, and goes out without the override', () => {
    // Saturday 2026-12-05 12:00 New York.
    const decision = decide({ days: [1, 2, 3, 4, 5] }, '2026-12-05T17:00:00Z');
    expect(deferredUntil(decision)).toBe('2026-12-07T13:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/New_York until 2026-12-07 08:00');
    expect(decide({}, '2026-12-05T17:00:00Z')).toEqual({ verdict: 'allow' });
  });

  it('days are the customer’s local weekday: Friday 22:00 in Los Angeles is Saturday in UTC, and Friday still counts', () => {
    const fridays: ContactWindowOverride = { days: [5] };
    const lateFridays = { ...fridays, hours: { opens: '08:00', closes: '23:00' } };
    // US hours end at 21:00, so the override's 23:00 is cut back to it: 22:00 on Friday waits a week.
    expect(deferredUntil(decide(lateFridays, '2026-12-05T06:00:00Z', { zones: ['America/Los_Angeles'] }))).toBe('2026-12-11T16:00:00.000Z');
    const development = { configured: 'development', zones: ['America/Los_Angeles'] };
    expect(decide(lateFridays, '2026-12-05T06:00:00Z', development)).toEqual({ verdict: 'allow' });
    // The same instant is 01:00 on Saturday in New York.
    expect(deferredUntil(decide(lateFridays, '2026-12-05T06:00:00Z', { ...development, zones: ['America/New_York'] }))).toBe(
      '2026-12-11T13:00:00.000Z',
    );
  });

  it('hours: 09:00–17:00 defers 08:30 to 09:00 and 17:00 to the next morning', () => {
    const office = { hours: { opens: '09:00', closes: '17:00' } };
    const early = decide(office, '2026-12-01T13:30:00Z');
    expect(deferredUntil(early)).toBe('2026-12-01T14:00:00.000Z');
    expect(reasonOf(early)).toBe('outside contact hours in America/New_York until 09:00');
    expect(decide(office, '2026-12-01T14:00:00Z')).toEqual({ verdict: 'allow' });
    expect(decide(office, '2026-12-01T21:59:00Z')).toEqual({ verdict: 'allow' });
    expect(deferredUntil(decide(office, '2026-12-01T22:00:00Z'))).toBe('2026-12-02T14:00:00.000Z');
  });

  it('hours: a call must end inside the narrowed window too (last dial 16:45 with the US margin)', () => {
    const office = { hours: { opens: '09:00', closes: '17:00' } };
    expect(decide(office, '2026-12-01T21:44:00Z', { channel: 'call' })).toEqual({ verdict: 'allow' });
    expect(deferredUntil(decide(office, '2026-12-01T21:45:00Z', { channel: 'call' }))).toBe('2026-12-02T14:00:00.000Z');
  });

  it('hours under the development profile close a window that is otherwise always open', () => {
    const night = { hours: { opens: '00:00', closes: '06:00' } };
    expect(decide({}, '2026-12-01T17:00:00Z', { configured: 'development' })).toEqual({ verdict: 'allow' });
    expect(deferredUntil(decide(night, '2026-12-01T17:00:00Z', { configured: 'development' }))).toBe('2026-12-02T05:00:00.000Z');
  });

  it('closed dates are the customer’s local dates: 24 December in New York, while Los Angeles is still on the 23rd', () => {
    const christmasEve = { closedDates: ['2026-12-24'] };
    // 2026-12-24T03:00Z: 22:00 on the 23rd in New York is outside its hours anyway; 19:00 on the 23rd in Los Angeles.
    expect(decide(christmasEve, '2026-12-24T03:00:00Z', { zones: ['America/Los_Angeles'] })).toEqual({ verdict: 'allow' });
    // 2026-12-24T14:00Z: 09:00 on the 24th in New York: closed until the 25th opens.
    const decision = decide(christmasEve, '2026-12-24T14:00:00Z');
    expect(deferredUntil(decision)).toBe('2026-12-25T13:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/New_York until 08:00');
    // 2026-12-24T17:00Z: 09:00 on the 24th in Los Angeles: closed; the 25th opens at 08:00 there.
    expect(deferredUntil(decide(christmasEve, '2026-12-24T17:00:00Z', { zones: ['America/Los_Angeles'] }))).toBe(
      '2026-12-25T16:00:00.000Z',
    );
  });

  it('closed dates add to the profile’s own rather than replacing them', () => {
    const profile = profileFor({ configured: 'US', window: { closedDates: ['2026-12-25'] } });
    const again = profileFor({ configured: 'development', window: { closedDates: ['2026-12-26'] } });
    expect(profile.window.closedDates).toEqual(['2026-12-25']);
    expect(again.window.closedDates).toEqual(['2026-12-26']);
  });

  it('margin: a 60-minute margin stops calls at 20:00 local, and leaves texts until 21:00', () => {
    const margin = { callEndMarginMinutes: 60 };
    expect(decide(margin, '2026-12-02T00:59:00Z', { channel: 'call' })).toEqual({ verdict: 'allow' });
    expect(deferredUntil(decide(margin, '2026-12-02T01:00:00Z', { channel: 'call' }))).toBe('2026-12-02T13:00:00.000Z');
    expect(decide(margin, '2026-12-02T01:00:00Z', { channel: 'sms' })).toEqual({ verdict: 'allow' });
    // Without the override, the US profile's 15 minutes: 20:44 goes, 20:45 waits.
    expect(decide({}, '2026-12-02T01:44:00Z', { channel: 'call' })).toEqual({ verdict: 'allow' });
  });

  it('margin under the development profile makes calls stop before local midnight', () => {
    const margin = { callEndMarginMinutes: 30 };
    expect(decide(margin, '2026-12-02T04:29:00Z', { channel: 'call', configured: 'development' })).toEqual({ verdict: 'allow' });
    expect(deferredUntil(decide(margin, '2026-12-02T04:30:00Z', { channel: 'call', configured: 'development' }))).toBe(
      '2026-12-02T05:00:00.000Z',
    );
  });
});
