import { decideContact } from '../../../../src/policy/contact-policy';
import type { ContactProfile } from '../../../../src/policy/types';
import { at, contact, deferredUntil, question, reasonOf, US, US_MA } from './question';

// Calls at 09:00 New York time (14:00Z) on each of the seven days up to 1 December.
const DAILY_CALLS = ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'].map((day) =>
  contact('call', `${day}T14:00:00Z`),
);
const noon = at('2026-12-01T17:00:00Z'); // 12:00 in New York, inside the window

describe('the US call cap: 7 call attempts per 7 days per debt (Regulation F 1006.14(b)(2))', () => {
  it('allows the 7th call', () => {
    expect(decideContact(question({ now: noon, channel: 'call', contacts: DAILY_CALLS.slice(1) }))).toEqual({ verdict: 'allow' });
  });

  it('defers the 8th until the oldest call leaves the 7 days, and says so', () => {
    const decision = decideContact(question({ now: noon, channel: 'call', contacts: DAILY_CALLS }));
    expect(deferredUntil(decision)).toBe('2026-12-02T14:00:00.000Z');
    expect(reasonOf(decision)).toBe('call cap: 7 call attempts per 7 days for this debt reached, until 2026-12-02 09:00 America/New_York');
  });

  it('counts a call exactly 7 days old as gone (the period is the 7 × 24 hours ending now)', () => {
    expect(decideContact(question({ now: at('2026-12-02T14:00:00Z'), channel: 'call', contacts: DAILY_CALLS }))).toEqual({
      verdict: 'allow',
    });
    expect(decideContact(question({ now: at('2026-12-02T13:59:59.999Z'), channel: 'call', contacts: DAILY_CALLS })).verdict).toBe('defer');
  });

  it('with more calls than the cap (concurrent reminders), waits until enough have left to free one slot', () => {
    const nine = [contact('call', '2026-11-25T13:00:00Z'), contact('call', '2026-11-25T13:30:00Z'), ...DAILY_CALLS];
    // Sorted: 13:00, 13:30, 14:00 on 25 November, ...: the third oldest must leave.
    expect(deferredUntil(decideContact(question({ now: noon, channel: 'call', contacts: nine })))).toBe('2026-12-02T14:00:00.000Z');
  });

  it('does not count texts against calls, nor cap texts', () => {
    const texts = DAILY_CALLS.map((call) => ({ ...call, channel: 'sms' as const }));
    expect(decideContact(question({ now: noon, channel: 'call', contacts: texts }))).toEqual({ verdict: 'allow' });
    expect(decideContact(question({ now: noon, channel: 'sms', contacts: DAILY_CALLS }))).toEqual({ verdict: 'allow' });
  });

  it('moves a release that falls outside the window to the next opening, in all zones', () => {
    // The oldest call leaves at 09:00 New York time, when Los Angeles is at 06:00: wait for 08:00 there.
    const decision = decideContact(
      question({ now: noon, channel: 'call', contacts: DAILY_CALLS, zones: ['America/Los_Angeles', 'America/New_York'] }),
    );
    expect(deferredUntil(decision)).toBe('2026-12-02T16:00:00.000Z');
    expect(reasonOf(decision)).toBe(
      'call cap: 7 call attempts per 7 days for this debt reached, until 2026-12-02 08:00 America/Los_Angeles (the first contact hours after that)',
    );
  });
});

describe('no call within 7 days after a conversation about the debt (Regulation F 1006.14(b)(2))', () => {
  const talked = [contact('call', '2026-11-28T15:00:00Z', true), contact('call', '2026-11-27T15:00:00Z', false)];

  it('defers a call until 7 days after the last conversation', () => {
    const decision = decideContact(question({ now: noon, channel: 'call', contacts: talked }));
    expect(deferredUntil(decision)).toBe('2026-12-05T15:00:00.000Z');
    expect(reasonOf(decision)).toBe('no call within 7 days after a conversation about this debt, until 2026-12-05 10:00 America/New_York');
  });

  it('allows a call once the 7 days are over, and a text at any time', () => {
    expect(decideContact(question({ now: at('2026-12-05T15:00:00Z'), channel: 'call', contacts: talked }))).toEqual({ verdict: 'allow' });
    expect(decideContact(question({ now: noon, channel: 'sms', contacts: talked }))).toEqual({ verdict: 'allow' });
  });

  it('a call that connected no conversation starts no quiet period', () => {
    expect(decideContact(question({ now: noon, channel: 'call', contacts: [contact('call', '2026-11-30T15:00:00Z', false)] }))).toEqual({
      verdict: 'allow',
    });
  });

  it('when two caps hold, waits for the later one and gives its reason', () => {
    const both = [...DAILY_CALLS.slice(0, 6), contact('call', '2026-12-01T14:00:00Z', true)];
    const decision = decideContact(question({ now: noon, channel: 'call', contacts: both }));
    expect(deferredUntil(decision)).toBe('2026-12-08T14:00:00.000Z');
    expect(reasonOf(decision)).toBe('no call within 7 days after a conversation about this debt, until 2026-12-08 09:00 America/New_York');
  });
});

describe('the Massachusetts cap: 2 contacts per 7 days per debt, texts included (940 CMR 7.04(1)(f))', () => {
  it('allows a second contact, of either channel', () => {
    const one = [contact('sms', '2026-11-30T15:00:00Z')];
    expect(decideContact(question({ now: noon, profile: US_MA, channel: 'call', contacts: one }))).toEqual({ verdict: 'allow' });
    expect(decideContact(question({ now: noon, profile: US_MA, channel: 'sms', contacts: one }))).toEqual({ verdict: 'allow' });
  });

  it('defers a third, counting a text and a call together', () => {
    const two = [contact('sms', '2026-11-27T15:00:00Z'), contact('call', '2026-11-30T15:00:00Z')];
    const decision = decideContact(question({ now: noon, profile: US_MA, channel: 'sms', contacts: two }));
    expect(deferredUntil(decision)).toBe('2026-12-04T15:00:00.000Z');
    expect(reasonOf(decision)).toBe(
      'contact cap: 2 contacts (calls and texts) per 7 days for this debt reached, until 2026-12-04 10:00 America/New_York',
    );
    // The US profile has no such cap.
    expect(decideContact(question({ now: noon, profile: US, channel: 'sms', contacts: two }))).toEqual({ verdict: 'allow' });
  });

  it('a release after the last dial of the day waits for the next morning (for a call, not for a text)', () => {
    // Two texts at 20:50 New York time: a slot frees at 20:50 on 4 December, after the last dial at 20:45.
    const lateTexts = [contact('sms', '2026-11-28T01:50:00Z'), contact('sms', '2026-11-28T01:55:00Z')];
    expect(deferredUntil(decideContact(question({ now: noon, profile: US_MA, channel: 'sms', contacts: lateTexts })))).toBe(
      '2026-12-05T01:50:00.000Z',
    );
    const call = decideContact(question({ now: noon, profile: US_MA, channel: 'call', contacts: lateTexts }));
    expect(deferredUntil(call)).toBe('2026-12-05T13:00:00.000Z');
    expect(reasonOf(call)).toBe(
      'contact cap: 2 contacts (calls and texts) per 7 days for this debt reached, until 2026-12-05 08:00 America/New_York (the first contact hours after that)',
    );
  });

  it('rejects a cap that is not a positive whole number', () => {
    const broken: ContactProfile = { ...US, caps: { ...US.caps, maxContacts: 0 } };
    expect(() => decideContact(question({ now: noon, profile: broken }))).toThrow('positive integer');
  });
});
