// Personal data is removed from free text before it leaves Ingång as open data. The patterns err on the side
// of removing too much: a house number range or a date is left alone, any other run of seven or more digits
// is treated as a phone number.

/** Replacement words, in Swedish (the data set's language). */
export const REDACTED = { email: '[e-post borttagen]', phone: '[telefonnummer borttaget]', pnr: '[personnummer borttaget]' } as const;

// Personnummer and samordningsnummer: optional century, YYMMDD (day + 60 for samordningsnummer), optional - or +, four digits.
const PERSONNUMMER = /(?<![\d])(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01]|[6-8]\d|9[01])\s?[-+]?\s?\d{4}(?![\d])/g;
// E-mail, also when obfuscated as "name at domain dot se" is not attempted: only real addresses.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// A phone number: optional +/00 prefix, digits with spaces, dots, dashes, slashes or brackets between them.
const PHONE = /(?<![\p{L}\p{N}])(?:\+|00)?\(?\d[\d\s().\/-]{5,}\d(?![\p{N}])/gu;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL = /^-?\d{1,3}\.\d+$/;

function looksLikePhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return digits.length > 15;
  const trimmed = candidate.trim();
  if (ISO_DATE.test(trimmed) || DECIMAL.test(trimmed)) return false;
  return true;
}

/** Text with only personnummer and samordningsnummer masked (records exports, where the rest of the text is public). */
export function redactIdentityNumbers(text: string | null | undefined): string {
  return text ? text.replace(PERSONNUMMER, REDACTED.pnr) : '';
}

/** Free text with e-mail addresses, phone numbers and personnummer replaced by a marker. */
export function redactText(text: string | null | undefined): string {
  if (!text) return '';
  return text
    .replace(EMAIL, REDACTED.email)
    .replace(PERSONNUMMER, REDACTED.pnr)
    .replace(PHONE, (m) => {
      const lead = m.match(/^\s*/)![0];
      const tail = m.match(/\s*$/)![0];
      return looksLikePhone(m) ? `${lead}${REDACTED.phone}${tail}` : m;
    });
}

/** Snaps a point to the centre of its cell in a ~500 m grid (metres converted at the point's latitude). */
export function coarsen(lat: number, lon: number, metres = 500): { lat: number; lon: number } {
  const dLat = metres / 111_320;
  const cellLat = (Math.floor(lat / dLat) + 0.5) * dLat;
  const dLon = metres / (111_320 * Math.cos((cellLat * Math.PI) / 180));
  const cellLon = (Math.floor(lon / dLon) + 0.5) * dLon;
  return { lat: Math.round(cellLat * 1e5) / 1e5, lon: Math.round(cellLon * 1e5) / 1e5 };
}
