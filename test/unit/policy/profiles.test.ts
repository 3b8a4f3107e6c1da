import { CONTACT_PROFILE_NAMES, isContactProfileName, profileFor, UnknownContactProfileError } from '../../../src/policy/profiles';

describe('the built-in contact profiles', () => {
  it('lists the names a configuration or a request may use', () => {
    expect(CONTACT_PROFILE_NAMES).toEqual(['US', 'US-MA', 'development']);
    expect(isContactProfileName('US-MA')).toBe(true);
    expect(isContactProfileName('toString')).toBe(false);
  });

  it('US: Regulation F hours every day, 7 calls per 7 days, 7 quiet days, an opt-out covering both channels', () => {
    const us = profileFor({ configured: 'US' });
    expect(us.window).toEqual({ days: [1, 2, 3, 4, 5, 6, 7], opens: '08:00', closes: '21:00', closedDates: [] });
    expect(us.caps).toEqual({ periodDays: 7, maxCallAttempts: 7, maxContacts: null, quietDaysAfterConversation: 7 });
    expect(us.callEndMarginMinutes).toBe(15);
    expect(us.optOutCovers).toEqual(['sms', 'call']);
  });

  it('US-MA: the US rules plus 2 contacts per 7 days', () => {
    const ma = profileFor({ configured: 'US-MA' });
    expect(ma.name).toBe('US-MA');
    expect(ma.caps).toEqual({ periodDays: 7, maxCallAttempts: 7, maxContacts: 2, quietDaysAfterConversation: 7 });
    expect(ma.window).toEqual(profileFor({ configured: 'US' }).window);
  });

  it('development: always open and uncapped, opt-outs still covering both channels', () => {
    const development = profileFor({ configured: 'development' });
    expect(development.window).toMatchObject({ opens: '00:00', closes: '24:00', days: [1, 2, 3, 4, 5, 6, 7] });
    expect(development.caps).toMatchObject({ maxCallAttempts: null, maxContacts: null, quietDaysAfterConversation: null });
    expect(development.optOutCovers).toEqual(['sms', 'call']);
  });
});

describe('profileFor', () => {
  it('gives a Massachusetts customer US-MA when the configured profile is US', () => {
    expect(profileFor({ configured: 'US', region: { country: 'US', subdivision: 'US-MA' } }).name).toBe('US-MA');
  });

  it('keeps US for customers elsewhere, or of unknown subdivision', () => {
    expect(profileFor({ configured: 'US', region: { country: 'US', subdivision: 'US-CA' } }).name).toBe('US');
    expect(profileFor({ configured: 'US', region: { country: 'US' } }).name).toBe('US');
    expect(profileFor({ configured: 'US' }).name).toBe('US');
  });

  it('does not replace a configured profile other than US (development stays development)', () => {
    expect(profileFor({ configured: 'development', region: { country: 'US', subdivision: 'US-MA' } }).name).toBe('development');
  });

  it('throws a clear error for an unknown configured name', () => {
    expect(() => profileFor({ configured: 'EU' })).toThrow(new UnknownContactProfileError('EU'));
    expect(() => profileFor({ configured: 'us' })).toThrow("unknown contact profile 'us' (known: US, US-MA, development)");
  });
});
