import { badInput } from '../shared/errors.js';
import { ALL_STATUSES, CLOSED_STATUSES, OPEN_STATUSES } from '../cases/states.js';
import type { CaseStatus } from '../db/types.js';
import type { RequestQuery } from './repo.js';

/** Query or form fields as they arrive: literal keys, repeated keys as lists. */
export type Fields = Record<string, string | string[] | undefined>;

export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_ROWS = 1000;

/** A single text value; an empty argument counts as absent (the spec's rule); a repeated one is an error. */
export function text(fields: Fields, name: string): string | undefined {
  const raw = fields[name];
  if (Array.isArray(raw)) {
    const nonEmpty = raw.filter((v) => v.trim() !== '');
    if (nonEmpty.length > 1) throw badInput(name, 'was given more than once', 'angavs mer än en gång');
    return nonEmpty[0]?.trim();
  }
  const value = raw?.trim();
  return value === '' ? undefined : value;
}

const W3C_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A W3C/ISO-8601 date or time; a time without a zone is read as UTC. */
export function dateParam(fields: Fields, name: string): Date | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  const normalised = value.replace(' ', '+');
  const date = W3C_DATE.test(normalised) ? new Date(/T.*(Z|[+-]\d{2}:?\d{2})$/.test(normalised) || !normalised.includes('T') ? normalised : `${normalised}Z`) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw badInput(name, `"${value}" is not a W3C date-time, e.g. 2026-11-23T08:00:00+01:00`, `"${value}" är ingen tidpunkt i W3C-format, t.ex. 2026-11-23T08:00:00+01:00`);
  }
  return date;
}

function numberParam(fields: Fields, name: string, min: number, max: number, integer = false): number | undefined {
  const value = text(fields, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw badInput(name, `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`, `ska vara ${integer ? 'ett heltal' : 'ett tal'} från ${min} till ${max}`);
  }
  return n;
}

/** A comma-separated list, trimmed and without empty items. */
export function listParam(fields: Fields, name: string): string[] | undefined {
  const value = text(fields, name);
  return value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** A four-digit kommunkod or nothing. */
export function jurisdictionParam(fields: Fields): string | undefined {
  const value = text(fields, 'jurisdiction_id');
  if (value !== undefined && !/^\d{4}$/.test(value)) {
    throw badInput('jurisdiction_id', `"${value}" is not a four-digit kommunkod, e.g. 1384 for Kungsbacka`, `"${value}" är ingen fyrsiffrig kommunkod, t.ex. 1384 för Kungsbacka`);
  }
  return value;
}

function statusesOf(values: string[]): CaseStatus[] {
  const out = new Set<CaseStatus>();
  for (const v of values.map((s) => s.toLowerCase())) {
    if (v === 'open') OPEN_STATUSES.forEach((s) => out.add(s));
    else if (v === 'closed') CLOSED_STATUSES.forEach((s) => out.add(s));
    else if ((ALL_STATUSES as string[]).includes(v)) out.add(v as CaseStatus);
    else throw badInput('status', `"${v}" is not open or closed`, `"${v}" är varken open eller closed`);
  }
  return [...out];
}

/**
 * GET requests filters. `service_request_id` overrides the others; without any date filter the last
 * 90 days are listed; pages hold at most 1000 rows. Service codes are resolved by the caller.
 */
export function requestQueryOf(fields: Fields, jurisdiction: string | null, now: Date = new Date()): Omit<RequestQuery, 'serviceIds'> & { serviceCodes?: string[] } {
  const page = numberParam(fields, 'page', 1, 1_000_000, true) ?? 1;
  const pageSize = numberParam(fields, 'page_size', 1, MAX_ROWS, true) ?? MAX_ROWS;
  const base = { jurisdiction, limit: pageSize, offset: (page - 1) * pageSize };
  const ids = listParam(fields, 'service_request_id');
  if (ids) return { ...base, publicIds: ids.slice(0, MAX_ROWS) };
  const requestedFrom = dateParam(fields, 'start_date');
  const requestedTo = dateParam(fields, 'end_date');
  const updatedAfter = dateParam(fields, 'updated_after');
  const updatedBefore = dateParam(fields, 'updated_before');
  if (requestedFrom && requestedTo && requestedFrom > requestedTo) throw badInput('end_date', 'must not be before start_date', 'får inte vara före start_date');
  const status = listParam(fields, 'status');
  const query: ReturnType<typeof requestQueryOf> = {
    ...base,
    serviceCodes: listParam(fields, 'service_code'),
    requestedFrom: requestedFrom ?? (requestedTo || updatedAfter || updatedBefore ? undefined : new Date(now.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000)),
    requestedTo,
    updatedAfter,
    updatedBefore,
    statuses: status ? statusesOf(status) : undefined,
  };
  const bbox = listParam(fields, 'bbox');
  if (bbox) {
    const n = bbox.map(Number);
    if (n.length !== 4 || n.some((v) => !Number.isFinite(v)) || n[0] > n[2] || n[1] > n[3] || Math.abs(n[1]) > 90 || Math.abs(n[3]) > 90) {
      throw badInput('bbox', 'must be min_long,min_lat,max_long,max_lat in WGS84, e.g. 12.0,57.4,12.2,57.6', 'ska vara min_long,min_lat,max_long,max_lat i WGS84');
    }
    query.bbox = { minLon: n[0], minLat: n[1], maxLon: n[2], maxLat: n[3] };
  }
  const lat = numberParam(fields, 'lat', -90, 90);
  const lon = numberParam(fields, 'long', -180, 180);
  const radius = numberParam(fields, 'radius', 1, 100_000);
  if (lat !== undefined || lon !== undefined || radius !== undefined) {
    if (lat === undefined || lon === undefined) throw badInput(lat === undefined ? 'lat' : 'long', 'is required together with lat, long and radius', 'krävs tillsammans med lat, long och radius');
    query.near = { lat, lon, radius: radius ?? 1000 };
  }
  return query;
}
