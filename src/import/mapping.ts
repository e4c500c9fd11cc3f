import fs from 'node:fs';
import type { CaseStatus, Channel } from '../db/types.js';
import { ALL_STATUSES } from '../cases/states.js';
import { UsageError } from '../cli/registry.js';

/** The fields an import reads from each source record. */
export const FIELDS = ['id', 'category', 'description', 'title', 'lat', 'long', 'address', 'postal_code', 'created', 'closed', 'updated', 'status',
  'channel', 'reporter_name', 'reporter_email', 'reporter_phone'] as const;
export type Field = (typeof FIELDS)[number];

const CHANNELS: Channel[] = ['web', 'app', 'open311', 'phone', 'email', 'visit', 'alarm', 'import', 'staff'];

/**
 * How a source's columns and values become cases: which column holds each field, how source categories,
 * states and channels translate, how dates are written, and whether foreign coordinates are used.
 */
export interface ImportMapping {
  source?: string;
  columns: Partial<Record<Field, string>>;
  categories: Record<string, string>;
  statuses: Record<string, CaseStatus>;
  channels: Record<string, Channel>;
  date_format: string;
  time_zone: string;
  coordinates: 'use' | 'ignore';
}

/** States as Open311 and most exports write them. */
const DEFAULT_STATUSES: Record<string, CaseStatus> = { open: 'submitted', closed: 'closed', ...Object.fromEntries(ALL_STATUSES.map((s) => [s, s])) };

/** A mapping with defaults filled and every value checked; errors are usage errors naming the key. */
export function normaliseMapping(raw: Partial<ImportMapping> & { columns?: Record<string, string> }): ImportMapping {
  for (const key of Object.keys(raw.columns ?? {})) {
    if (!(FIELDS as readonly string[]).includes(key)) throw new UsageError(`--map: unknown field "${key}" (fields: ${FIELDS.join(', ')})`);
  }
  const statuses: Record<string, CaseStatus> = { ...DEFAULT_STATUSES };
  for (const [from, to] of Object.entries(raw.statuses ?? {})) {
    if (!(ALL_STATUSES as string[]).includes(to)) throw new UsageError(`--map: status "${from}" maps to "${to}", which is not a state (${ALL_STATUSES.join(', ')})`);
    statuses[from.toLowerCase()] = to;
  }
  const channels: Record<string, Channel> = Object.fromEntries(CHANNELS.map((c) => [c, c]));
  for (const [from, to] of Object.entries(raw.channels ?? {})) {
    if (!CHANNELS.includes(to)) throw new UsageError(`--map: channel "${from}" maps to "${to}", which is not a channel (${CHANNELS.join(', ')})`);
    channels[from.toLowerCase()] = to;
  }
  const timeZone = raw.time_zone ?? 'Europe/Stockholm';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new UsageError(`--map: time_zone "${timeZone}" is not a time zone`);
  }
  if (raw.coordinates && raw.coordinates !== 'use' && raw.coordinates !== 'ignore') throw new UsageError('--map: coordinates must be "use" or "ignore"');
  return {
    source: raw.source,
    columns: raw.columns ?? {},
    categories: Object.fromEntries(Object.entries(raw.categories ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    statuses,
    channels,
    date_format: raw.date_format ?? 'iso',
    time_zone: timeZone,
    coordinates: raw.coordinates ?? 'use',
  };
}

/**
 * Reads `--map`: a JSON file, or an inline list "id=Id,category=Category,category.Potholes=pothole,status.Archived=closed,
 * date_format=MM/DD/YYYY - hh:mmA". Dotted keys fill the categories, statuses and channels tables.
 */
export function parseMapArgument(arg: string | undefined): ImportMapping {
  if (!arg) return normaliseMapping({});
  if (arg.trim().endsWith('.json') || fs.existsSync(arg)) {
    let text: string;
    try {
      text = fs.readFileSync(arg, 'utf8');
    } catch {
      throw new UsageError(`--map: cannot read ${arg}`);
    }
    try {
      return normaliseMapping(JSON.parse(text));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--map: ${arg} is not valid JSON (${(error as Error).message})`);
    }
  }
  const raw: Partial<ImportMapping> & { columns: Record<string, string>; categories: Record<string, string>; statuses: Record<string, CaseStatus>; channels: Record<string, Channel> } =
    { columns: {}, categories: {}, statuses: {}, channels: {} };
  for (const pair of arg.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--map: "${pair}" is not key=value`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const dot = key.indexOf('.');
    if (dot > 0) {
      const table = key.slice(0, dot);
      const from = key.slice(dot + 1);
      if (table === 'category') raw.categories[from] = value;
      else if (table === 'status') raw.statuses[from] = value as CaseStatus;
      else if (table === 'channel') raw.channels[from] = value as Channel;
      else throw new UsageError(`--map: "${key}": only category.*, status.* and channel.* take a dot`);
    } else if (key === 'source') raw.source = value;
    else if (key === 'date_format') raw.date_format = value;
    else if (key === 'time_zone') raw.time_zone = value;
    else if (key === 'coordinates') raw.coordinates = value as 'use' | 'ignore';
    else raw.columns[key] = value;
  }
  return normaliseMapping(raw);
}
