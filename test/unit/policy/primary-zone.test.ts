import { InvalidPhoneNumberError, primaryZone, UnknownZoneError } from '../../../src/policy/zones';

// The zone an invoice plan's step times are read in (fictional 555-01xx numbers).
describe('primaryZone', () => {
  it('is the customer’s own timezone when they give one, whatever the number says', async () => {
    await expect(primaryZone({ phone: '+14155550123', timezone: 'Europe/Berlin' })).resolves.toBe('Europe/Berlin');
  });

  it('is the number’s zone otherwise, before the region’s', async () => {
    await expect(primaryZone({ phone: '+12125550123' })).resolves.toBe('America/New_York');
    await expect(primaryZone({ phone: '+14155550123', region: { country: 'US', subdivision: 'US-MA' } })).resolves.toBe(
      'America/Los_Angeles',
    );
  });

  it('refuses a number that is not valid and a timezone that is not IANA', async () => {
    await expect(primaryZone({ phone: '+1555' })).rejects.toBeInstanceOf(InvalidPhoneNumberError);
    await expect(primaryZone({ phone: '+14155550123', timezone: 'Mars/Olympus' })).rejects.toBeInstanceOf(UnknownZoneError);
  });
});
