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

/** Sends `<errors><error><code/><description/></error></errors>` or `[{"code","description"}]`. */
export function sendErrors(reply: FastifyReply, format: Format, status: number, errors: Open311ErrorItem[]): FastifyReply {
  return sendOpen311(reply, format, 'errors', errors, status);
}

/** The format a URL asks for by its extension; XML (the required format) when it names none. */
export function formatOfUrl(url: string): Format {
  return /\.json(?:\?|$)/.test(url) ? 'json' : 'xml';
}

const offsetFormatter = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', timeZoneName: 'longOffset' });

/**
 * W3C-DTF time in Swedish local time with its offset and whole seconds, e.g. 2026-11-23T09:05:00+01:00:
 * what FixMyStreet's parser and the official schema's date-time format both accept.
 */
export function w3cTime(date: Date | null | undefined): string | null {
  if (!date) return null;
  const zone = offsetFormatter.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zone);
  const offsetMinutes = match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offsetMinutes * 60_000);
  const suffix = match ? `${match[1]}${match[2]}:${match[3]}` : 'Z';
  return local.toISOString().replace(/\.\d{3}Z$/, suffix);
}
