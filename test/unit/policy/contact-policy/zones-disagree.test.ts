import { decideContact, WINDOW_SEARCH_DAYS } from '../../../../src/policy/contact-policy';
import { at, deferredUntil, question, reasonOf, US, withWindow } from './question';

// December: Los Angeles UTC−8, New York UTC−5. Open in both only 11:00–21:00 New York time.
const bothCoasts = (iso: string, channel: 'sms' | 'call' = 'sms') =>
  decideContact(question({ now: at(iso), channel, zones: ['America/Los_Angeles', 'America/New_York'] }));

describe('a customer who may be in several zones', () => {
  it('waits at 10:59 New York time for 08:00 in Los Angeles, and names Los Angeles', () => {
    const decision = bothCoasts('2026-12-01T15:59:00Z');
    expect(deferredUntil(decision)).toBe('2026-12-01T16:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/Los_Angeles until 08:00');
  });

  it('is open from 11:00 New York time to 21:00 New York time', () => {
    expect(bothCoasts('2026-12-01T16:00:00Z')).toEqual({ verdict: 'allow' });
    expect(bothCoasts('2026-12-02T01:59:00Z')).toEqual({ verdict: 'allow' });
  });

  it('closes at 21:00 New York time although Los Angeles is still open, then names the zone that opens last', () => {
    const decision = bothCoasts('2026-12-02T02:00:00Z');
    expect(deferredUntil(decision)).toBe('2026-12-02T16:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in America/Los_Angeles until 08:00');
  });

  it('stops calls at 20:45 New York time', () => {
    expect(bothCoasts('2026-12-02T01:44:00Z', 'call')).toEqual({ verdict: 'allow' });
    expect(deferredUntil(bothCoasts('2026-12-02T01:45:00Z', 'call'))).toBe('2026-12-02T16:00:00.000Z');
  });

  it('finds the common hours of zones far apart (Los Angeles and Tokyo: 08:00 in Tokyo)', () => {
    // 12:00Z: 04:00 in Los Angeles, 21:00 in Tokyo. Both open from 23:00Z (Tokyo 08:00, LA 15:00).
    const decision = decideContact(question({ now: at('2026-12-01T12:00:00Z'), zones: ['America/Los_Angeles', 'Asia/Tokyo'] }));
    expect(deferredUntil(decision)).toBe('2026-12-01T23:00:00.000Z');
    expect(reasonOf(decision)).toBe('outside contact hours in Asia/Tokyo until 08:00');
  });

  it('defers by the search horizon, saying so, when no instant is open in all zones at once', () => {
    // Three zones 7–8 hours apart: any two share hours, all three never do.
    const zones = ['America/Los_Angeles', 'Asia/Shanghai', 'Europe/London'];
    const now = at('2026-12-01T12:00:00Z');
    const decision = decideContact(question({ now, zones }));
    expect(decision).toEqual({
      verdict: 'defer',
      until: now + WINDOW_SEARCH_DAYS * 24 * 3_600_000,
      reason:
        "no contact hours open in all of the customer's time zones at once (America/Los_Angeles, Asia/Shanghai, Europe/London) within 14 days; checking again at 2026-12-15 12:00 UTC",
    });
  });

  it('finds no common window across the date line when the profile allows one weekday only', () => {
    // Kiritimati (UTC+14) and Pago Pago (UTC−11) are 25 hours apart: their Mondays never overlap.
    const mondays = withWindow(US, { days: [1] });
    const decision = decideContact(
      question({ now: at('2026-12-01T12:00:00Z'), zones: ['Pacific/Kiritimati', 'Pacific/Pago_Pago'], profile: mondays }),
    );
    expect(reasonOf(decision)).toMatch(/^no contact hours open in all of the customer's time zones at once/);
    // With every day allowed they do share hours: Kiritimati 08:00 is Pago Pago 07:00, so 09:00 Kiritimati.
    const daily = decideContact(question({ now: at('2026-12-01T12:00:00Z'), zones: ['Pacific/Kiritimati', 'Pacific/Pago_Pago'] }));
    expect(deferredUntil(daily)).toBe('2026-12-01T19:00:00.000Z');
    expect(reasonOf(daily)).toBe('outside contact hours in Pacific/Pago_Pago until 08:00');
  });
});
