import type { SlaTier } from '../db/types.js';

// SLA deadlines are promises made to Swedish citizens, so they are counted on the Swedish calendar and in
// Swedish local time whatever time zone the server runs in. No dependency: the rules are few and stable,
// and a holiday library's idea of "holiday" (e.g. whether julafton counts) is not necessarily ours.

const TIME_ZONE = 'Europe/Stockholm';
const HOUR_MS = 3_600_000;
/** Local hour at which the clock starts when a case arrives on a non-working day. */
const WORKDAY_START_HOUR = 8;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export type SlaState = 'none' | 'ok' | 'at_risk' | 'breached' | 'met';

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const holidayCache = new Map<number, Set<string>>();

// hourCycle h23 rather than hour12:false: the latter prints midnight as "24" in some ICU versions.
const localFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** 'YYYY-MM-DD' for a calendar date; month is 1-based and out-of-range days roll over. */
function isoDate(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_PATTERN.exec(date);
  if (!m) throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (isoDate(year, month, day) !== date) throw new RangeError(`No such date: "${date}"`);
  return { year, month, day };
}

function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return isoDate(year, month, day + days);
}

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
function weekday(date: string): number {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Easter Sunday by the anonymous Gregorian (Meeus/Jones/Butcher) algorithm. */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** The single date in [first, first+6] of a month that falls on the given weekday. */
function weekdayOnOrAfter(year: number, month: number, firstDay: number, wantedWeekday: number): string {
  const first = isoDate(year, month, firstDay);
  return addDays(first, (wantedWeekday - weekday(first) + 7) % 7);
}

function computeHolidays(year: number): Set<string> {
  const easter = easterSunday(year);
  const midsummerEve = weekdayOnOrAfter(year, 6, 19, 5);
  return new Set([
    isoDate(year, 1, 1), // nyårsdagen
    isoDate(year, 1, 6), // trettondedag jul
    addDays(easter, -2), // långfredagen
    easter, // påskdagen
    addDays(easter, 1), // annandag påsk
    isoDate(year, 5, 1), // första maj
    addDays(easter, 39), // Kristi himmelsfärdsdag
    addDays(easter, 49), // pingstdagen
    isoDate(year, 6, 6), // Sveriges nationaldag
    // Midsommarafton, julafton and nyårsafton are not public holidays in law but are days off under
    // practically every collective agreement, so nobody is there to act on a case.
    midsummerEve, // midsommarafton
    addDays(midsummerEve, 1), // midsommardagen
    weekdayOnOrAfter(year, 10, 31, 6), // alla helgons dag
    isoDate(year, 12, 24), // julafton
    isoDate(year, 12, 25), // juldagen
    isoDate(year, 12, 26), // annandag jul
    isoDate(year, 12, 31), // nyårsafton
  ]);
}

function holidaysOf(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (!set) {
    set = computeHolidays(year);
    holidayCache.set(year, set);
  }
  return set;
}

/** Swedish holidays and de facto days off ('YYYY-MM-DD') of a year, weekends not included. */
export function swedishNonWorkingDays(year: number): Set<string> {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`Year out of range for the Gregorian calendar: ${year}`);
  }
  // A copy, so that a caller adding to it cannot change the calendar for everyone else.
  return new Set(holidaysOf(year));
}

/** True for a Monday–Friday that is not a Swedish holiday; date as 'YYYY-MM-DD'. */
export function isWorkingDay(date: string): boolean {
  const { year } = parseDate(date);
  const wd = weekday(date);
  return wd !== 0 && wd !== 6 && !holidaysOf(year).has(date);
}

function toLocal(instant: Date): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of localFormatter.formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const ms = instant.getTime();
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** How far Stockholm wall-clock time is ahead of UTC at an instant (1 or 2 hours). */
function offsetAt(ms: number): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  const l = toLocal(new Date(wholeSecond));
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - wholeSecond;
}

// A wall-clock time that does not exist (the hour skipped in March) comes out one hour later; one that
// occurs twice (the hour repeated in October) resolves to the second, winter-time occurrence.
function fromLocal(l: LocalTime): Date {
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
  const firstOffset = offsetAt(asUtc);
  let ms = asUtc - firstOffset;
  const secondOffset = offsetAt(ms);
  if (secondOffset !== firstOffset) ms = asUtc - secondOffset;
  return new Date(ms);
}

function localDate(l: LocalTime): string {
  return isoDate(l.year, l.month, l.day);
}

function withDate(l: LocalTime, date: string): LocalTime {
  return { ...l, ...parseDate(date) };
}

function nextWorkingDay(date: string): string {
  let d = addDays(date, 1);
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/**
 * When a case of the given tier falls due.
 *
 * - `hours`: elapsed clock time, so an urgent case is not given an extra hour when the clocks go back.
 * - `days`: the same Stockholm wall-clock time N calendar days later.
 * - `working_days`: the same Stockholm wall-clock time N working days later. A case that arrives on a
 *   weekend or holiday is treated as arriving at 08:00 on the next working day, so that "3 working days"
 *   from a Saturday evening means Thursday 08:00 and not Wednesday evening.
 *
 * Fractional day counts are rounded up; the customer is never promised less than the tier says.
 */
export function computeDueAt(from: Date, tier: SlaTier): Date {
  const start = from.getTime();
  if (!Number.isFinite(start)) throw new RangeError('computeDueAt: invalid start date');
  if (!Number.isFinite(tier.amount) || tier.amount < 0) {
    throw new RangeError(`computeDueAt: invalid SLA amount ${tier.amount}`);
  }
  switch (tier.unit) {
    case 'hours':
      return new Date(start + tier.amount * HOUR_MS);
    case 'days': {
      const local = toLocal(from);
      return fromLocal(withDate(local, addDays(localDate(local), Math.ceil(tier.amount))));
    }
    case 'working_days': {
      let local = toLocal(from);
      let date = localDate(local);
      if (!isWorkingDay(date)) {
        date = nextWorkingDay(date);
        local = { ...local, hour: WORKDAY_START_HOUR, minute: 0, second: 0, millisecond: 0 };
      }
      for (let n = Math.ceil(tier.amount); n > 0; n--) date = nextWorkingDay(date);
      return fromLocal(withDate(local, date));
    }
    default: {
      const unknownUnit: never = tier.unit;
      throw new RangeError(`computeDueAt: unknown SLA unit ${String(unknownUnit)}`);
    }
  }
}

/**
 * Where a case stands against its deadline. Open cases are `at_risk` once `atRiskFraction` of the time
 * between request and deadline has passed (clock time: simple, and errs towards warning early over
 * weekends), `breached` after the deadline; closed cases are `met` or `breached`. No deadline → `none`.
 */
export function slaState(
  requestedAt: Date,
  dueAt: Date | null,
  closedAt: Date | null,
  now: Date,
  atRiskFraction = 0.75,
): SlaState {
  if (!dueAt) return 'none';
  const due = dueAt.getTime();
  if (closedAt) return closedAt.getTime() <= due ? 'met' : 'breached';
  const current = now.getTime();
  if (current > due) return 'breached';
  const allowed = due - requestedAt.getTime();
  if (allowed <= 0) return 'at_risk';
  return (current - requestedAt.getTime()) / allowed >= atRiskFraction ? 'at_risk' : 'ok';
}
