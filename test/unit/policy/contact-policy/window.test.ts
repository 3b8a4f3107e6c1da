import { decideContact } from '../../../../src/policy/contact-policy';
import { at, deferredUntil, question, reasonOf, US, withWindow } from './question';

// America/New_York in December is UTC−5: 08:00 local = 13:00Z, 20:45 = 01:45Z, 21:00 = 02:00Z.
const newYork = (iso: string, channel: 'sms' | 'call' = 'sms') => decideContact(question({ now: at(iso), channel }));

describe('the contact window in one zone (US: 08:00–21:00 local)', () => {
  it('is closed at 07:59 and defers until 08:00 local, saying where', () => {
    const decision = newYork('2026-12-01T12:59:00Z');
    expect(deferredUntil(decision)).toBe('2026-12-01T13:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/New_York until 08:00');
  });

  it('is closed one millisecond before 08:00', () => {
    expect(deferredUntil(newYork('2026-12-01T12:59:59.999Z'))).toBe('2026-12-01T13:00:00.000Z');
  });

  it('opens at 08:00 exactly', () => {
    expect(newYork('2026-12-01T13:00:00Z')).toEqual({ verdict: 'allow' });
  });

  it('allows a text at 20:59 and closes at 21:00, deferring to the next morning', () => {
    expect(newYork('2026-12-02T01:59:00Z')).toEqual({ verdict: 'allow' });
    const decision = newYork('2026-12-02T02:00:00Z');
    expect(deferredUntil(decision)).toBe('2026-12-02T13:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/New_York until 08:00');
  });

  it('places a call at 20:44 but not at 20:45: the call must end inside the window (15-minute margin)', () => {
    expect(newYork('2026-12-02T01:44:00Z', 'call')).toEqual({ verdict: 'allow' });
    expect(deferredUntil(newYork('2026-12-02T01:45:00Z', 'call'))).toBe('2026-12-02T13:00:00.000Z');
    expect(newYork('2026-12-02T01:45:00Z', 'sms')).toEqual({ verdict: 'allow' });
  });

  it('names the date when the opening is more than a day away', () => {
    const weekdays = withWindow(US, { days: [1, 2, 3, 4, 5] });
    // Saturday 2026-12-05 10:00 local: next opening Monday 2026-12-07 08:00.
    const decision = decideContact(question({ now: at('2026-12-05T15:00:00Z'), profile: weekdays }));
    expect(deferredUntil(decision)).toBe('2026-12-07T13:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/New_York until 2026-12-07 08:00');
  });

  it('keeps to the profile days: Friday evening waits for Monday, Monday morning opens', () => {
    const weekdays = withWindow(US, { days: [1, 2, 3, 4, 5] });
    expect(deferredUntil(decideContact(question({ now: at('2026-12-05T02:30:00Z'), profile: weekdays })))).toBe('2026-12-07T13:00:00.000Z');
    expect(decideContact(question({ now: at('2026-12-07T13:00:00Z'), profile: weekdays }))).toEqual({ verdict: 'allow' });
  });

  it('skips closed dates, local to the zone, including several in a row', () => {
    const holidays = withWindow(US, { closedDates: ['2026-12-24', '2026-12-25'] });
    // 2026-12-24 12:00 local is a closed date: next opening 2026-12-26 08:00 local.
    const decision = decideContact(question({ now: at('2026-12-24T17:00:00Z'), profile: holidays }));
    expect(deferredUntil(decision)).toBe('2026-12-26T13:00:00.000Z');
    // The closed date is New York's: at 2026-12-24T03:00Z it is still the 23rd in Los Angeles.
    const la = decideContact(question({ now: at('2026-12-24T03:00:00Z'), zones: ['America/Los_Angeles'], profile: holidays }));
    expect(la).toEqual({ verdict: 'allow' });
  });

  it('refuses to judge without a zone, or with a name that is no IANA zone', () => {
    expect(() => decideContact(question({ now: at('2026-12-01T15:00:00Z'), zones: [] }))).toThrow('no time zone');
    expect(() => decideContact(question({ now: at('2026-12-01T15:00:00Z'), zones: ['Mars/Olympus_Mons'] }))).toThrow('Mars/Olympus_Mons');
  });

  it('rejects a profile whose window leaves no time for a call, or whose times are malformed', () => {
    const tiny = withWindow(US, { opens: '20:50', closes: '21:00' });
    expect(decideContact(question({ now: at('2026-12-02T01:55:00Z'), profile: tiny }))).toEqual({ verdict: 'allow' });
    expect(() => decideContact(question({ now: at('2026-12-02T01:55:00Z'), profile: tiny, channel: 'call' }))).toThrow('no time left');
    expect(() => decideContact(question({ now: at('2026-12-02T01:55:00Z'), profile: withWindow(US, { opens: '8am' }) }))).toThrow("'8am'");
    expect(() => decideContact(question({ now: at('2026-12-02T01:55:00Z'), profile: withWindow(US, { days: [0] }) }))).toThrow(
      'ISO weekdays',
    );
  });
});
