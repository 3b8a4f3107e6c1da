import { decideContact } from '../../../../src/policy/contact-policy';
import { at, deferredUntil, question, reasonOf } from './question';

const inZone = (zone: string, iso: string, channel: 'sms' | 'call' = 'sms') =>
  decideContact(question({ now: at(iso), zones: [zone], channel }));

describe('the 2026 US switch to daylight time (Sunday 8 March, 02:00 → 03:00)', () => {
  it('one minute before 02:00 EST and one minute after the jump, the window opens at 08:00 EDT (12:00Z)', () => {
    // 06:59Z is 01:59 EST; 07:01Z is 03:01 EDT.
    expect(deferredUntil(inZone('America/New_York', '2026-03-08T06:59:00Z'))).toBe('2026-03-08T12:00:00.000Z');
    expect(deferredUntil(inZone('America/New_York', '2026-03-08T07:01:00Z'))).toBe('2026-03-08T12:00:00.000Z');
  });

  it('a deferral from Saturday night across the switch lands on 08:00 local, not 08:00 EST', () => {
    // Saturday 7 March 22:00 EST = 03:00Z; 08:00 EDT on Sunday = 12:00Z (08:00 EST would be 13:00Z).
    const decision = inZone('America/New_York', '2026-03-08T03:00:00Z');
    expect(deferredUntil(decision)).toBe('2026-03-08T12:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/New_York until 08:00');
    expect(deferredUntil(inZone('America/Los_Angeles', '2026-03-08T06:00:00Z'))).toBe('2026-03-08T15:00:00.000Z');
  });

  it('closes at 21:00 EDT on the switch day (01:00Z on 9 March)', () => {
    expect(inZone('America/New_York', '2026-03-09T00:59:00Z')).toEqual({ verdict: 'allow' });
    expect(deferredUntil(inZone('America/New_York', '2026-03-09T01:00:00Z'))).toBe('2026-03-09T12:00:00.000Z');
  });
});

describe('the 2026 US switch back to standard time (Sunday 1 November, 02:00 → 01:00)', () => {
  it('just before and just after 02:00 EDT, the window opens at 08:00 EST (13:00Z)', () => {
    // 05:59Z is 01:59 EDT; 06:01Z is 01:01 EST (the repeated hour).
    expect(deferredUntil(inZone('America/New_York', '2026-11-01T05:59:00Z'))).toBe('2026-11-01T13:00:00.000Z');
    expect(deferredUntil(inZone('America/New_York', '2026-11-01T06:01:00Z'))).toBe('2026-11-01T13:00:00.000Z');
  });

  it('a deferral from Saturday night across the switch lands on 08:00 local, not 08:00 EDT', () => {
    // Saturday 31 October 22:00 EDT = 02:00Z on 1 November.
    expect(deferredUntil(inZone('America/New_York', '2026-11-01T02:00:00Z'))).toBe('2026-11-01T13:00:00.000Z');
    expect(deferredUntil(inZone('America/Los_Angeles', '2026-11-01T05:00:00Z'))).toBe('2026-11-01T16:00:00.000Z');
  });

  it('is closed at 07:59 EST and open at 08:00 EST on the switch day', () => {
    expect(deferredUntil(inZone('America/New_York', '2026-11-01T12:59:00Z'))).toBe('2026-11-01T13:00:00.000Z');
    expect(inZone('America/New_York', '2026-11-01T13:00:00Z')).toEqual({ verdict: 'allow' });
  });
});

describe('zones with half-hour offsets', () => {
  it('Asia/Kolkata (UTC+05:30): opens at 02:30Z, last call at 15:15Z', () => {
    expect(deferredUntil(inZone('Asia/Kolkata', '2026-12-01T02:29:00Z'))).toBe('2026-12-01T02:30:00.000Z');
    expect(inZone('Asia/Kolkata', '2026-12-01T02:30:00Z')).toEqual({ verdict: 'allow' });
    expect(inZone('Asia/Kolkata', '2026-12-01T15:14:00Z', 'call')).toEqual({ verdict: 'allow' });
    expect(deferredUntil(inZone('Asia/Kolkata', '2026-12-01T15:15:00Z', 'call'))).toBe('2026-12-02T02:30:00.000Z');
  });

  it('America/St_Johns: 08:00 is 11:30Z in winter (UTC−03:30) and 10:30Z in summer (UTC−02:30)', () => {
    expect(deferredUntil(inZone('America/St_Johns', '2026-12-01T11:29:00Z'))).toBe('2026-12-01T11:30:00.000Z');
    expect(inZone('America/St_Johns', '2026-12-01T11:30:00Z')).toEqual({ verdict: 'allow' });
    expect(deferredUntil(inZone('America/St_Johns', '2026-07-01T10:00:00Z'))).toBe('2026-07-01T10:30:00.000Z');
  });

  it('with New York, St. John’s closes first: 21:00 there is 19:30 in New York', () => {
    const zones = ['America/New_York', 'America/St_Johns'];
    expect(decideContact(question({ now: at('2026-12-02T00:29:00Z'), zones }))).toEqual({ verdict: 'allow' });
    const decision = decideContact(question({ now: at('2026-12-02T00:30:00Z'), zones }));
    expect(deferredUntil(decision)).toBe('2026-12-02T13:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/New_York until 08:00');
  });
});
