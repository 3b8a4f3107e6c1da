import { getCountry } from 'countries-and-timezones';
import { customerZones, InvalidPhoneNumberError, UnknownZoneError } from '../../../src/policy/zones';

// Fictional numbers: 555-01xx in NANP, and documentation-style ranges elsewhere.
describe('customerZones', () => {
  it('a +1 415 number is in Los Angeles (area-code level for NANP)', async () => {
    await expect(customerZones({ phone: '+14155550123' })).resolves.toEqual(['America/Los_Angeles']);
  });

  it('a +1 212 number is in New York', async () => {
    await expect(customerZones({ phone: '+12125550123' })).resolves.toEqual(['America/New_York']);
  });

  it('is the union of the customer’s timezone, the region’s zones and the number’s zones, sorted and unique', async () => {
    const zones = await customerZones({
      phone: '+14155550123',
      timezone: 'Europe/Berlin',
      region: { country: 'US', subdivision: 'US-MA' },
    });
    expect(zones).toEqual(['America/Los_Angeles', 'America/New_York', 'Europe/Berlin']);
    const again = await customerZones({ phone: '+14155550123', timezone: 'America/Los_Angeles' });
    expect(again).toEqual(['America/Los_Angeles']);
  });

  it('takes a state’s zones from its cities: Indiana has Central and Eastern zones', async () => {
    const zones = await customerZones({ phone: '+12125550123', region: { country: 'US', subdivision: 'US-IN' } });
    expect(zones).toEqual(expect.arrayContaining(['America/Chicago', 'America/Indiana/Indianapolis', 'America/New_York']));
    expect(zones).not.toContain('America/Los_Angeles');
  });

  it('takes a country’s zones where the data has no subdivision codes (Australia), or no subdivision is given', async () => {
    const australia = getCountry('AU').timezones;
    expect(australia.length).toBeGreaterThan(5);
    await expect(customerZones({ phone: '+61412345678', region: { country: 'AU', subdivision: 'AU-NSW' } })).resolves.toEqual(
      [...australia].sort(),
    );
    await expect(customerZones({ phone: '+61412345678', region: { country: 'AU' } })).resolves.toEqual([...australia].sort());
  });

  it('gives a number of several zones all of them: a NANP toll-free number spans the plan', async () => {
    const zones = await customerZones({ phone: '+18005550123' });
    expect(zones).toEqual(
      expect.arrayContaining(['America/Los_Angeles', 'America/New_York', 'America/St_Johns', 'Pacific/Honolulu', 'Pacific/Guam']),
    );
    expect(zones).toEqual([...new Set(zones)].sort());
  });

  it('gives a +61 mobile the zone the number data names for it', async () => {
    // libphonenumber maps Australian mobile prefixes to Australia/Sydney; a customer elsewhere in
    // Australia is covered by giving the region (previous test).
    await expect(customerZones({ phone: '+61412345678' })).resolves.toEqual(['Australia/Sydney']);
  });

  it('throws a clear error for an invalid number, without the number in the message', async () => {
    await expect(customerZones({ phone: '+15555550123' })).rejects.toThrow(InvalidPhoneNumberError);
    await expect(customerZones({ phone: 'not a number' })).rejects.toThrow('not a valid E.164 number');
    await expect(customerZones({ phone: '+15555550123' })).rejects.not.toThrow('5555550123');
  });

  it('throws for a timezone that is not IANA, and for an unknown country', async () => {
    await expect(customerZones({ phone: '+14155550123', timezone: 'Pacific Standard Time' })).rejects.toThrow(UnknownZoneError);
    await expect(customerZones({ phone: '+14155550123', region: { country: 'XX' } })).rejects.toThrow(
      'no IANA time zone is known for the country XX',
    );
  });
});
