import { profileFor } from '../../../src/policy/profiles';
import { narrowProfile, wideningProblems } from '../../../src/policy/window-override';

const US = profileFor({ configured: 'US' });
const US_MA = profileFor({ configured: 'US-MA' });

describe('narrowProfile', () => {
  it('returns the profile itself when nothing is overridden', () => {
    expect(narrowProfile(US, {})).toBe(US);
    expect(narrowProfile(US)).toBe(US);
  });

  it('keeps only what both allow, so a wider override never widens a profile', () => {
    const narrowed = narrowProfile(US, { days: [1, 2, 3], hours: { opens: '06:00', closes: '18:00' }, callEndMarginMinutes: 5 });
    expect(narrowed.window).toEqual({ days: [1, 2, 3], opens: '08:00', closes: '18:00', closedDates: [] });
    expect(narrowed.callEndMarginMinutes).toBe(15);
  });

  it('leaves the caps, the opt-out rule and the name alone, and says what it narrowed', () => {
    const narrowed = narrowProfile(US_MA, { hours: { opens: '09:00', closes: '17:00' }, callEndMarginMinutes: 30 });
    expect(narrowed.caps).toEqual(US_MA.caps);
    expect(narrowed.optOutCovers).toEqual(US_MA.optOutCovers);
    expect(narrowed.name).toBe('US-MA');
    expect(narrowed.description).toContain('narrowed by configuration: hours 09:00–17:00, last dial 30 minutes before the close');
  });

  it('applies to the stricter profile a region gets, as to the configured one', () => {
    const window = { hours: { opens: '10:00', closes: '16:00' } };
    const massachusetts = profileFor({ configured: 'US', region: { country: 'US', subdivision: 'US-MA' }, window });
    expect(massachusetts.name).toBe('US-MA');
    expect(massachusetts.window.opens).toBe('10:00');
    expect(massachusetts.window.closes).toBe('16:00');
  });
});

describe('wideningProblems', () => {
  it('finds nothing in an override that only narrows', () => {
    expect(
      wideningProblems(US, {
        days: [1, 2, 3, 4, 5],
        hours: { opens: '09:00', closes: '20:00' },
        closedDates: ['2026-12-25'],
        callEndMarginMinutes: 20,
      }),
    ).toEqual({});
  });

  it('names days outside a profile’s days', () => {
    const weekdaysOnly = { ...US, window: { ...US.window, days: [1, 2, 3, 4, 5] } };
    expect(wideningProblems(weekdaysOnly, { days: [5, 6] })).toEqual({
      days: "Sat lie outside the US profile's days (Mon,Tue,Wed,Thu,Fri); an override may only narrow them",
    });
  });
});
