import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { withinSwedenExtent } from '../geo/area-index.js';
import { isPlausibleSweref, swerefToWgs84 } from '../geo/sweref.js';
import { parseCsv } from '../shared/csv.js';
import { ASSET_TYPES, assetType } from './asset-types.js';
import { findOrganisation, upsertAssets, type AssetValues } from './repo.js';

export type Crs = 'EPSG:4326' | 'EPSG:3006';
/** The fields an import fills; `x`/`y` are the coordinate pair (lon/lat in WGS84, E/N in SWEREF 99 TM). */
export const TARGET_FIELDS = ['code', 'type', 'name', 'x', 'y', 'state', 'responsible'] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

/** Column names recognised without a mapping (lower case). */
const ALIASES: Record<TargetField, string[]> = {
  code: ['code', 'kod', 'id', 'asset_code', 'objektid', 'nummer', 'stolpnummer'],
  type: ['type', 'typ', 'asset_type', 'objekttyp'],
  name: ['name', 'namn', 'benamning', 'benämning'],
  x: ['lon', 'long', 'lng', 'longitude', 'x', 'e', 'easting', 'ost', 'öst'],
  y: ['lat', 'latitude', 'y', 'n', 'northing', 'nord'],
  state: ['state', 'status', 'tillstand', 'tillstånd'],
  responsible: ['responsible', 'ansvarig', 'responsible_organisation', 'entreprenor', 'entreprenör'],
};

/** One bad row: where it is (CSV line or GeoJSON feature number) and what is wrong. */
export interface ImportProblem {
  line?: number;
  feature?: number;
  field: string;
  message: string;
}

export class AssetImportError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(`${problems.length} row(s) are wrong; nothing was imported`);
    this.name = 'AssetImportError';
  }
}

export interface ImportOptions {
  organisationId: number;
  text: string;
  format: 'csv' | 'geojson';
  /** Our field → the file's column or property name. */
  mapping?: Partial<Record<TargetField, string>>;
  /** Type of rows that name none. */
  defaultType?: string;
  /** Responsible organisation (id, slug or kommunkod) of rows that name none; else the owner. */
  defaultResponsible?: string;
  /** Coordinate system; when absent, the GeoJSON `crs` member or the first row's numbers decide. */
  crs?: Crs;
  onProgress?: (phase: 'validate' | 'write', done: number, total: number) => void;
}

export interface ImportSummary {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  crs: Crs;
}

interface RawRow {
  where: { line?: number; feature?: number };
  props: Record<string, unknown>;
  /** Coordinates from a GeoJSON geometry: its representative point and the geometry itself. */
  point?: [unknown, unknown];
  geometry?: unknown;
}

/** Parses "code=stolpnr,lat=N" into a mapping; lat/lon/n/e/northing/easting are accepted for y/x. */
export function parseMapping(spec: string | undefined): Partial<Record<TargetField, string>> {
  const mapping: Partial<Record<TargetField, string>> = {};
  if (!spec) return mapping;
  const synonyms: Record<string, TargetField> = { lat: 'y', n: 'y', northing: 'y', lon: 'x', long: 'x', e: 'x', easting: 'x' };
  for (const pair of spec.split(',')) {
    const [rawKey, ...rest] = pair.split('=');
    const key = rawKey.trim().toLowerCase();
    const target = (synonyms[key] ?? key) as TargetField;
    if (!TARGET_FIELDS.includes(target) || rest.length === 0 || !rest.join('=').trim()) {
      throw new Error(`--map: "${pair}" should be field=column with field one of code, type, name, lat, lon, n, e, state, responsible`);
    }
    mapping[target] = rest.join('=').trim();
  }
  return mapping;
}

function csvRows(text: string): RawRow[] {
  const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  const delimiterHint = header.length === 1 && header[0].includes(';');
  if (delimiterHint) throw new AssetImportError([{ line: 1, field: 'header', message: 'semicolon-separated files are not supported; save as comma-separated CSV' }]);
  return records.map((cells, i) => ({ where: { line: i + 2 }, props: Object.fromEntries(header.map((h, j) => [h.trim(), cells[j] ?? ''])) }));
}

/** A representative point of a GeoJSON geometry: the point itself, or the middle vertex of a line. */
function pointOf(geometry: { type?: string; coordinates?: unknown }): [unknown, unknown] | undefined {
  const c = geometry.coordinates as unknown[];
  if (!Array.isArray(c)) return undefined;
  if (geometry.type === 'Point') return [c[0], c[1]];
  if (geometry.type === 'LineString' && c.length > 0) {
    const mid = c[Math.floor(c.length / 2)] as unknown[];
    return Array.isArray(mid) ? [mid[0], mid[1]] : undefined;
  }
  return undefined;
}

function geojsonRows(text: string): { rows: RawRow[]; crs?: Crs } {
  let doc: { type?: string; features?: unknown[]; crs?: { properties?: { name?: string } } };
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new AssetImportError([{ field: 'file', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    throw new AssetImportError([{ field: 'file', message: 'a GeoJSON FeatureCollection is expected' }]);
  }
  const crsName = doc.crs?.properties?.name ?? '';
  const crs: Crs | undefined = /3006$/.test(crsName) ? 'EPSG:3006' : /(4326|CRS84)$/.test(crsName) ? 'EPSG:4326' : undefined;
  const rows = doc.features.map((f, i) => {
    const feat = (f ?? {}) as { properties?: Record<string, unknown>; geometry?: { type?: string; coordinates?: unknown }; id?: unknown };
    const props = { ...(feat.properties ?? {}) };
    if (feat.id !== undefined && props.id === undefined) props.id = feat.id;
    return { where: { feature: i + 1 }, props, point: feat.geometry ? pointOf(feat.geometry) : undefined, geometry: feat.geometry };
  });
  return { rows, crs };
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return NaN;
  return Number(v.trim().replace(/\s/g, '').replace(',', '.'));
}

function detectCrs(rows: RawRow[], column: (row: RawRow, f: TargetField) => unknown): Crs {
  for (const row of rows) {
    const x = toNumber(row.point ? row.point[0] : column(row, 'x'));
    const y = toNumber(row.point ? row.point[1] : column(row, 'y'));
    if (Number.isFinite(x) && Number.isFinite(y)) return Math.abs(x) <= 180 && Math.abs(y) <= 90 ? 'EPSG:4326' : 'EPSG:3006';
  }
  return 'EPSG:4326';
}

/** Converts a GeoJSON geometry's coordinates from SWEREF 99 TM to WGS84, so stored geometry is always WGS84. */
function geometryToWgs84(geometry: unknown, crs: Crs): unknown {
  if (!geometry || crs === 'EPSG:4326') return geometry ?? null;
  const convert = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number'
      ? (({ lat, lon }) => [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7])(swerefToWgs84(c[1] as number, c[0] as number))
      : Array.isArray(c) ? c.map(convert) : c;
  const g = geometry as { type: string; coordinates: unknown };
  return { type: g.type, coordinates: convert(g.coordinates) };
}

/**
 * Reads, validates every row, and only then writes all of them in one transaction (upsert on the
 * code). Any bad row (missing code, bad coordinates, unknown type, repeated code, unknown
 * responsible organisation) throws AssetImportError listing every problem, and nothing is stored.
 */
export async function importAssets(db: Kysely<Database>, opts: ImportOptions): Promise<ImportSummary> {
  const parsed = opts.format === 'csv' ? { rows: csvRows(opts.text), crs: undefined } : geojsonRows(opts.text);
  const rows = parsed.rows;
  const columnsOf = new Map<string, string>();
  const keyFor = (row: RawRow, f: TargetField): string | undefined => {
    const mapped = opts.mapping?.[f];
    if (mapped) return mapped;
    const cacheKey = `${Object.keys(row.props).join('\u0000')}|${f}`;
    if (!columnsOf.has(cacheKey)) columnsOf.set(cacheKey, Object.keys(row.props).find((k) => ALIASES[f].includes(k.toLowerCase())) ?? '');
    return columnsOf.get(cacheKey) || undefined;
  };
  const column = (row: RawRow, f: TargetField): unknown => {
    const key = keyFor(row, f);
    return key === undefined ? undefined : row.props[key];
  };
  const crs = opts.crs ?? parsed.crs ?? detectCrs(rows, column);
  if (opts.defaultType && !assetType(opts.defaultType)) {
    throw new AssetImportError([{ field: 'type', message: `--type "${opts.defaultType}" is not an asset type (known: ${ASSET_TYPES.map((t) => t.code).join(', ')})` }]);
  }

  const orgCache = new Map<string, number | null>();
  const orgId = async (ref: string): Promise<number | null> => {
    if (!orgCache.has(ref)) orgCache.set(ref, (await findOrganisation(db, ref))?.id ?? null);
    return orgCache.get(ref)!;
  };
  const defaultResponsible = opts.defaultResponsible ? await orgId(opts.defaultResponsible) : opts.organisationId;
  if (defaultResponsible === null) throw new AssetImportError([{ field: 'responsible', message: `--responsible: no organisation "${opts.defaultResponsible}"` }]);

  const problems: ImportProblem[] = [];
  const values: AssetValues[] = [];
  const seen = new Map<string, RawRow['where']>();
  const at = (w: RawRow['where']) => (w.line ? `line ${w.line}` : `feature ${w.feature}`);
  for (const [i, row] of rows.entries()) {
    const problem = (field: string, message: string) => problems.push({ ...row.where, field, message });
    const code = String(column(row, 'code') ?? '').trim();
    if (!code) problem('code', 'code is missing');
    else if (code.length > 100) problem('code', 'code is longer than 100 characters');
    else if (seen.has(code)) problem('code', `code ${code} repeats ${at(seen.get(code)!)}`);
    else seen.set(code, row.where);

    const type = String(column(row, 'type') ?? '').trim() || opts.defaultType || '';
    if (!type) problem('type', 'type is missing (give a type column or --type)');
    else if (!assetType(type)) problem('type', `unknown type "${type}"`);

    const x = toNumber(row.point ? row.point[0] : column(row, 'x'));
    const y = toNumber(row.point ? row.point[1] : column(row, 'y'));
    let lat = NaN, lon = NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      const geometryType = (row.geometry as { type?: string } | null | undefined)?.type;
      problem('coordinates', opts.format === 'csv' ? 'coordinates are missing or not numbers'
        : !geometryType ? 'geometry is missing' : geometryType === 'Point' || geometryType === 'LineString' ? 'coordinates are not numbers' : `geometry ${geometryType} is not supported (Point or LineString)`);
    } else if (crs === 'EPSG:3006') {
      if (!isPlausibleSweref(y, x)) problem('coordinates', `(E ${x}, N ${y}) is not a SWEREF 99 TM coordinate in Sweden`);
      else ({ lat, lon } = swerefToWgs84(y, x));
    } else {
      lat = y;
      lon = x;
      if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || !withinSwedenExtent(lon, lat)) problem('coordinates', `(lat ${y}, lon ${x}) is not a WGS84 coordinate in Sweden`);
    }

    const stateRaw = String(column(row, 'state') ?? '').trim().toLowerCase();
    const state = stateRaw === '' || stateRaw === 'in_use' ? 'in_use' : stateRaw === 'out_of_use' ? 'out_of_use' : null;
    if (!state) problem('state', `state "${stateRaw}" should be in_use or out_of_use`);

    const responsibleRef = String(column(row, 'responsible') ?? '').trim();
    const responsible = responsibleRef ? await orgId(responsibleRef) : defaultResponsible;
    if (responsible === null) problem('responsible', `no organisation "${responsibleRef}"`);

    const used = new Set(TARGET_FIELDS.map((f) => keyFor(row, f)));
    const attributes = Object.fromEntries(Object.entries(row.props).filter(([k, v]) => !used.has(k) && v !== '' && v !== null && v !== undefined));
    if (problems.length === 0) {
      values.push({
        organisation_id: opts.organisationId, responsible_organisation_id: responsible!, type, code,
        name: String(column(row, 'name') ?? '').trim().slice(0, 200),
        lat: Math.round(lat * 1e7) / 1e7, lon: Math.round(lon * 1e7) / 1e7,
        geometry: row.geometry && (row.geometry as { type?: string }).type !== 'Point' ? geometryToWgs84(row.geometry, crs) : null,
        attributes, state: state!,
      });
    }
    if (i % 500 === 0) opts.onProgress?.('validate', i, rows.length);
  }
  opts.onProgress?.('validate', rows.length, rows.length);
  if (problems.length > 0) throw new AssetImportError(problems);

  const BATCH = 500;
  let inserted = 0, updated = 0;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < values.length; i += BATCH) {
      const r = await upsertAssets(trx, values.slice(i, i + BATCH));
      inserted += r.inserted;
      updated += r.updated;
      opts.onProgress?.('write', Math.min(i + BATCH, values.length), values.length);
    }
  });
  return { total: values.length, inserted, updated, unchanged: values.length - inserted - updated, crs };
}

/** "line 12, code: code is missing" — one problem as a line of the CLI's report. */
export function formatProblem(p: ImportProblem): string {
  return `${p.line !== undefined ? `line ${p.line}` : p.feature !== undefined ? `feature ${p.feature}` : 'file'}, ${p.field}: ${p.message}`;
}
