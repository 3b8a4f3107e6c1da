// The number data names a zone for every country's numbers today, so "the number says
// nothing" is reached by a library that answers as it does for a prefix it lacks.
import { getCountry } from 'countries-and-timezones';
import { primaryZone } from '../../../src/policy/zones';

jest.mock('libphonenumber-geo-carrier', () => ({ timezones: () => Promise.resolve(['Etc/Unknown']) }));

describe('primaryZone for a number whose zones are unknown', () => {
  it('is the region’s zone, else one of the number’s country', async () => {
    await expect(primaryZone({ phone: '+12125550106', region: { country: 'US', subdivision: 'US-MA' } })).resolves.toBe('America/New_York');
    await expect(primaryZone({ phone: '+12125550107' })).resolves.toBe(getCountry('US').timezones[0]);
  });
});
