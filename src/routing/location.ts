import { badInput } from '../shared/errors.js';
import { isPlausibleSweref, swerefToWgs84 } from '../geo/sweref.js';

/** Where a report is, as a client may give it: any one of these. */
export interface LocationInput {
  lat?: number | string | null;
  lon?: number | string | null;
  /** SWEREF 99 TM northing (N, "y" on Swedish maps) and easting (E, "x"). */
  sweref_n?: number | string | null;
  sweref_e?: number | string | null;
  address?: string | null;
  postal_code?: string | null;
  municipality_code?: string | null;
}

/** A location normalised to WGS84 where coordinates were given. */
export interface NormalisedLocation {
  lat: number | null;
  lon: number | null;
  address: string | null;
  postal_code: string | null;
  municipality_code: string | null;
}

function toNumber(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim().replace(',', '.'));
  if (!Number.isFinite(n)) throw badInput(field, 'must be a number', 'måste vara ett tal');
  return n;
}

/** Swedish postal codes are five digits, often written "434 30". */
export function findPostalCode(text: string | null | undefined): string | null {
  if (!text) return null;
  const match = /(?:^|\D)(\d{3})\s?(\d{2})(?!\d)/.exec(text);
  return match ? match[1] + match[2] : null;
}

/**
 * Validates and normalises a location; names the field at fault. `fieldNames` maps our names to the
 * client's (Open311 says "long", SWEREF input "x"/"y").
 */
export function normaliseLocation(input: LocationInput, fieldNames: Partial<Record<keyof LocationInput, string>> = {}): NormalisedLocation {
  const name = (k: keyof LocationInput) => fieldNames[k] ?? k;
  let lat = toNumber(input.lat, name('lat'));
  let lon = toNumber(input.lon, name('lon'));
  const n = toNumber(input.sweref_n, name('sweref_n'));
  const e = toNumber(input.sweref_e, name('sweref_e'));
  if ((lat === null) !== (lon === null)) {
    throw badInput(lat === null ? name('lat') : name('lon'), `is required together with ${lat === null ? name('lon') : name('lat')}`,
      `krävs tillsammans med ${lat === null ? name('lon') : name('lat')}`);
  }
  if ((n === null) !== (e === null)) {
    throw badInput(n === null ? name('sweref_n') : name('sweref_e'), 'SWEREF 99 TM needs both northing and easting', 'SWEREF 99 TM kräver både nordlig och östlig koordinat');
  }
  if (lat === null && n !== null && e !== null) {
    if (!isPlausibleSweref(n, e)) {
      throw badInput(name('sweref_n'), 'is not a SWEREF 99 TM coordinate in Sweden (northing 6 000 000–7 800 000 m, easting 100 000–1 000 000 m)',
        'är inte en SWEREF 99 TM-koordinat i Sverige');
    }
    ({ lat, lon } = swerefToWgs84(n, e));
  }
  if (lat !== null && (lat < -90 || lat > 90)) throw badInput(name('lat'), 'must be between -90 and 90', 'måste vara mellan -90 och 90');
  if (lon !== null && (lon < -180 || lon > 180)) throw badInput(name('lon'), 'must be between -180 and 180', 'måste vara mellan -180 och 180');
  const address = input.address?.trim() || null;
  if (address && address.length > 500) throw badInput(name('address'), 'must be at most 500 characters', 'får vara högst 500 tecken');
  const postalRaw = input.postal_code?.trim() || null;
  const postal_code = postalRaw ? postalRaw.replace(/\s/g, '') : findPostalCode(address);
  if (postal_code && !/^\d{5}$/.test(postal_code)) throw badInput(name('postal_code'), 'must be five digits, e.g. 434 30', 'ska vara fem siffror, t.ex. 434 30');
  const municipality_code = input.municipality_code?.trim() || null;
  if (municipality_code && !/^\d{4}$/.test(municipality_code)) {
    throw badInput(name('municipality_code'), 'must be a four-digit kommunkod, e.g. 1384', 'ska vara en fyrsiffrig kommunkod, t.ex. 1384');
  }
  return {
    lat: lat === null ? null : Math.round(lat * 1e7) / 1e7,
    lon: lon === null ? null : Math.round(lon! * 1e7) / 1e7,
    address,
    postal_code,
    municipality_code,
  };
}
