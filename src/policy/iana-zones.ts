// Whether a name is an IANA time zone this runtime knows. luxon answers by constructing an
// Intl.DateTimeFormat (about 0.3 ms), and the contact check asks for each of a customer's
// zones before every contact (a number with no known zones has all of its country's, 29 for
// the US). The runtime's zone data cannot change while it runs, so a yes is remembered; a no
// is not, so names a client sends cannot grow the set beyond the IANA list.
import { IANAZone } from 'luxon';

const valid = new Set<string>();

export function isIanaZone(zone: string): boolean {
  if (valid.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  valid.add(zone);
  return true;
}
