// Today's number data names a zone for every country's numbers, so the "nothing known" path is
// reached here by a number-data library that answers as it does for a prefix it lacks.
import { getCountry } from 'countries-and-timezones';
import { customerZones } from '../../../src/policy/zones';

const answers: (string[] | null)[] = [];
jest.mock('libphonenumber-geo-carrier', () => ({ timezones: () => Promise.resolve(answers.shift() ?? null) }));

describe('customerZones for a number whose zones are unknown', () => {
  const everyUsZone = [...getCountry('US').timezones].sort();

  it('gives every zone of the number’s country when the library answers Etc/Unknown or nothing', async () => {
    answers.push(['Etc/Unknown']);
    await expect(customerZones({ phone: '+12125550101' })).resolves.toEqual(everyUsZone);
    answers.push(null);
    await expect(customerZones({ phone: '+12125550102' })).resolves.toEqual(everyUsZone);
  });

  it('drops names that are no IANA zone and keeps the rest', async () => {
    answers.push(['Etc/Unknown', 'America/New_York', 'Not/A_Zone']);
    await expect(customerZones({ phone: '+12125550103' })).resolves.toEqual(['America/New_York']);
  });

  it('keeps to what the customer says when the number says nothing', async () => {
    answers.push(['Etc/Unknown']);
    await expect(customerZones({ phone: '+12125550104', timezone: 'America/Chicago' })).resolves.toEqual(['America/Chicago']);
    answers.push(null);
    await expect(customerZones({ phone: '+12125550105', region: { country: 'US', subdivision: 'US-MA' } })).resolves.toEqual([
      'America/New_York',
    ]);
  });
});
