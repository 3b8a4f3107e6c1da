import { IANAZone } from 'luxon';
import { isIanaZone } from '../../../src/policy/iana-zones';

describe('isIanaZone', () => {
  afterEach(() => jest.restoreAllMocks());

  it('knows IANA zones, including half-hour ones, and nothing else', () => {
    expect(isIanaZone('America/New_York')).toBe(true);
    expect(isIanaZone('Asia/Kolkata')).toBe(true);
    expect(isIanaZone('Etc/Unknown')).toBe(false);
    expect(isIanaZone('Mars/Olympus_Mons')).toBe(false);
    expect(isIanaZone('')).toBe(false);
  });

  it('asks the runtime once per valid zone, and again for every invalid name (so they cannot pile up)', () => {
    const asked = jest.spyOn(IANAZone, 'isValidZone');
    for (let i = 0; i < 3; i++) isIanaZone('Pacific/Chatham');
    for (let i = 0; i < 3; i++) isIanaZone('Nowhere/Special');
    expect(asked.mock.calls).toEqual([['Pacific/Chatham'], ['Nowhere/Special'], ['Nowhere/Special'], ['Nowhere/Special']]);
  });
});
