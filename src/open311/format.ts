import type { FastifyReply } from 'fastify';
import { toXml } from './xml.js';

export type Format = 'xml' | 'json';
export const FORMATS: readonly Format[] = ['xml', 'json'];

export const CONTENT_TYPE: Record<Format, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** One spec-form error: the code may be more specific than the HTTP status. */
export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** Sends a GeoReport body: JSON as is (lists as bare arrays), XML under `root` with its list children. */
export function sendOpen311(reply: FastifyReply, format: Format, root: string, value: unknown, status = 200): FastifyReply {
  reply.code(status).header('content-type', CONTENT_TYPE[format]);
  return reply.send(format === 'json' ? JSON.stringify(value) : toXml(root, value as never));
}

const utf8 = new TextEncoder();

/**
 * A GeoReport body as UTF-8 bytes, encoded once: a 1 000-row list is half a megabyte, and a string would be
 * measured and encoded again when sent (TextEncoder is also twice as fast as Buffer.from on such text).
 */
export function open311Body(format: Format, root: string, value: unknown): Buffer {
  const bytes = utf8.encode(format === 'json' ? JSON.stringify(value) : toXml(root, value as never));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Sends a body made by open311Body. */
export function sendOpen311Body(reply: FastifyReply, format: Format, body: Buffer): FastifyReply {
  return reply.code(200).header('content-type', CONTENT_TYPE[format]).send(body);
}

/** Sends `<errors><error><code/><description/></error></errors>` or `[{"code","description"}]`. */
export function sendErrors(reply: FastifyReply, format: Format, status: number, errors: Open311ErrorItem[]): FastifyReply {
  return sendOpen311(reply, format, 'errors', errors, status);
}

/** The format a URL asks for by its extension; XML (the required format) when it names none. */
export function formatOfUrl(url: string): Format {
  return /\.json(?:\?|$)/.test(url) ? 'json' : 'xml';
}

const offsetFormatter = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', timeZoneName: 'longOffset' });
const HOUR_MS = 3_600_000;

/** Swedish time's offset at an instant, as minutes and as the W3C suffix ('+01:00'; 'Z' when ICU names none). */
function offsetAt(ms: number): { minutes: number; suffix: string } {
  const zone = offsetFormatter.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zone);
  if (!match) return { minutes: 0, suffix: 'Z' };
  return { minutes: (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])), suffix: `${match[1]}${match[2]}:${match[3]}` };
}

// Asking ICU costs microseconds, and a 1 000-row Open311 page has 3 000 times, so the offset is cached per UTC
// hour: Swedish summer time starts and ends on the hour (01:00 UTC). An hour in which the offset changes
// anyway (the switch to CET in 1893 was at 23:06:32 UTC) is marked null and asked about each time.
const offsetByHour = new Map<number, { minutes: number; suffix: string } | null>();
const MAX_CACHED_HOURS = 100_000;

function cachedOffsetAt(ms: number): { minutes: number; suffix: string } {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size >= MAX_CACHED_HOURS) offsetByHour.clear();
    const first = offsetAt(hour * HOUR_MS);
    offset = offsetAt((hour + 1) * HOUR_MS - 1000).suffix === first.suffix ? first : null;
    offsetByHour.set(hour, offset);
  }
  return offset ?? offsetAt(ms);
}

const DAY_SECONDS = 86_400;
const dateOfDay = new Map<number, string>();
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** 'YYYY-MM-DD' of a day counted from 1970-01-01 (as toISOString writes it), cached: a page spans few days. */
function isoDateOfDay(day: number): string {
  let date = dateOfDay.get(day);
  if (date === undefined) {
    if (dateOfDay.size >= MAX_CACHED_HOURS) dateOfDay.clear();
    const iso = new Date(day * DAY_SECONDS * 1000).toISOString();
    date = iso.slice(0, iso.indexOf('T'));
    dateOfDay.set(day, date);
  }
  return date;
}

/** w3cTime of a time given as seconds since 1970 (what the Open311 list selects, to spare parsing 4 000 dates a page). */
export function w3cTimeOfSeconds(epochSeconds: number | null | undefined): string | null {
  if (epochSeconds === null || epochSeconds === undefined) return null;
  const whole = Math.floor(epochSeconds);
  const offset = cachedOffsetAt(whole * 1000);
  const local = whole + offset.minutes * 60;
  const day = Math.floor(local / DAY_SECONDS);
  const second = local - day * DAY_SECONDS;
  return `${isoDateOfDay(day)}T${two(Math.floor(second / 3600))}:${two(Math.floor((second % 3600) / 60))}:${two(second % 60)}${offset.suffix}`;
}

/**
 * W3C-DTF time in Swedish local time with its offset and whole seconds, e.g. 2026-11-23T09:05:00+01:00:
 * what FixMyStreet's parser and the official schema's date-time format both accept.
 */
export function w3cTime(date: Date | null | undefined): string | null {
  return date ? w3cTimeOfSeconds(date.getTime() / 1000) : null;
}
