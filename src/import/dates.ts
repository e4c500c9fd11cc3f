// Dates in historical exports come in many shapes; a mapping names the shape ("iso", "unix", "unix_ms" or a
// pattern such as "MM/DD/YYYY - hh:mmA") and the time zone of dates written without one.

const TOKENS: Record<string, string> = { YYYY: '(\\d{4})', MM: '(\\d{1,2})', DD: '(\\d{1,2})', HH: '(\\d{1,2})', hh: '(\\d{1,2})', mm: '(\\d{2})', ss: '(\\d{2})', A: '([AaPp][Mm])' };
const patternCache = new Map<string, { re: RegExp; order: string[] }>();

function compile(pattern: string) {
  let cached = patternCache.get(pattern);
  if (!cached) {
    const order: string[] = [];
    const source = pattern.replace(/YYYY|MM|DD|HH|hh|mm|ss|A|[.*+?^${}()|[\]\\]/g, (tok) => {
      if (TOKENS[tok]) {
        order.push(tok);
        return TOKENS[tok];
      }
      return `\\${tok}`;
    });
    cached = { re: new RegExp(`^\\s*${source}\\s*$`), order };
    patternCache.set(pattern, cached);
  }
  return cached;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC in ms at an instant. */
function zoneOffset(utcMs: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock time in a zone as an instant (DST gaps resolve forward, like most systems). */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - zoneOffset(guess, timeZone);
  return new Date(guess - zoneOffset(first, timeZone));
}

/** Parses a date as the mapping says; undefined when empty, null when it cannot be read. */
export function parseDate(value: string | undefined, format: string, timeZone: string): Date | null | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (format === 'unix' || format === 'unix_ms') {
    const n = Number(v);
    return Number.isFinite(n) ? new Date(format === 'unix' ? n * 1000 : n) : null;
  }
  if (format === 'iso') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(v);
    if (!m) return null;
    if (m[7]) {
      const t = Date.parse(v.replace(' ', 'T'));
      return Number.isNaN(t) ? null : new Date(t);
    }
    return zonedToUtc(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), timeZone);
  }
  const { re, order } = compile(format);
  const m = re.exec(v);
  if (!m) return null;
  const parts: Record<string, string> = {};
  order.forEach((tok, i) => (parts[tok] = m[i + 1]));
  let hour = Number(parts.HH ?? parts.hh ?? 0);
  if (parts.A) {
    const pm = parts.A.toLowerCase() === 'pm';
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  const [y, mo, d, mi, s] = [Number(parts.YYYY), Number(parts.MM ?? 1), Number(parts.DD ?? 1), Number(parts.mm ?? 0), Number(parts.ss ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hour > 23 || mi > 59 || s > 59) return null;
  return zonedToUtc(y, mo, d, hour, mi, s, timeZone);
}
