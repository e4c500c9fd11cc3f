import type { Kysely } from 'kysely';
import type { Database, RoutingDecision } from '../db/types.js';
import { withinSwedenExtent } from '../geo/area-index.js';
import { distanceMetres } from '../geo/distance.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { ASSET_TYPES, assetType, assetTypesForService } from './asset-types.js';
import {
  defaultUnitOf, findAssetById, findAssetIds, findAssetLabels, findAssetsByCode, findAssetsInBbox, findCasesOfAsset, findOpenCasesOnAsset, findOrganisation,
  insertAsset, updateAsset, type AssetScope, type AssetValues, type Bbox,
} from './repo.js';

/** The most a map request returns; a map shows assets only when zoomed in. */
export const MAX_MAP_FEATURES = 2000;
/** The widest bounding box (degrees) a map may ask for: roughly a town. */
const MAX_BBOX_DEGREES = 0.5;

/** What a case gets from a picked asset: the asset, its place, and who handles it. */
export interface ResolvedAsset {
  asset_id: number;
  code: string;
  type: string;
  organisation_id: number;
  location: { lat: number; lon: number };
  /** The asset's responsible organisation wins over the area's; null when the category is not the asset's. */
  routing_override: Pick<RoutingDecision, 'provider_organisation_id' | 'unit_id' | 'explanation_sv' | 'explanation_en'> | null;
}

/** Parses "minLon,minLat,maxLon,maxLat" and refuses boxes that are inverted, outside the world or too wide. */
export function parseBbox(raw: string, field = 'bbox'): Bbox {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw badInput(field, 'must be minLon,minLat,maxLon,maxLat in WGS84 degrees', 'ska vara minLon,minLat,maxLon,maxLat i WGS84-grader');
  }
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (minLon > maxLon || minLat > maxLat || minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180) {
    throw badInput(field, 'is inverted or outside the world', 'är omvänd eller utanför jorden');
  }
  if (maxLon - minLon > MAX_BBOX_DEGREES || maxLat - minLat > MAX_BBOX_DEGREES) {
    throw badInput(field, `is too large: zoom in (at most ${MAX_BBOX_DEGREES}° each way)`, `är för stor: zooma in (högst ${MAX_BBOX_DEGREES}° åt varje håll)`, 'bbox_too_large');
  }
  return [minLon, minLat, maxLon, maxLat];
}

type AssetRow = Awaited<ReturnType<typeof findAssetsInBbox>>[number];

function feature(row: AssetRow, properties: Record<string, unknown>) {
  const geometry = (row.geometry as { type?: string } | null)?.type ? row.geometry : { type: 'Point', coordinates: [row.lon, row.lat] };
  return { type: 'Feature' as const, id: row.id, geometry, properties };
}

/** Staff map: the assets of the caller's organisation (owned or responsible for) in a box, as GeoJSON. */
export async function listAssetsGeoJson(db: Kysely<Database>, opts: { bbox: Bbox; types?: string[]; scope: AssetScope }) {
  for (const t of opts.types ?? []) if (!assetType(t)) throw unknownType(t, 'type');
  const rows = await findAssetsInBbox(db, { ...opts, limit: MAX_MAP_FEATURES });
  const truncated = rows.length > MAX_MAP_FEATURES;
  return {
    type: 'FeatureCollection' as const,
    truncated,
    features: rows.slice(0, MAX_MAP_FEATURES).map((r) => feature(r, {
      code: r.code, type: r.type, name: r.name, state: r.state, organisation_id: r.organisation_id,
      responsible_organisation_id: r.responsible_organisation_id, attributes: r.attributes,
    })),
  };
}

/** Citizen map: assets in use of the types that belong to a category, with public fields only. */
export async function listPublicAssetsGeoJson(db: Kysely<Database>, opts: { bbox: Bbox; serviceCode?: string }) {
  const types = opts.serviceCode ? assetTypesForService(opts.serviceCode) : ASSET_TYPES.map((t) => t.code);
  if (types.length === 0) return { type: 'FeatureCollection' as const, truncated: false, features: [] };
  const rows = await findAssetsInBbox(db, { bbox: opts.bbox, types, states: ['in_use'], scope: null, limit: MAX_MAP_FEATURES });
  return {
    type: 'FeatureCollection' as const,
    truncated: rows.length > MAX_MAP_FEATURES,
    features: rows.slice(0, MAX_MAP_FEATURES).map((r) => {
      const t = assetType(r.type);
      return feature(r, { code: r.code, type: r.type, type_name_sv: t?.name_sv ?? r.type, type_name_en: t?.name_en ?? r.type, name: r.name });
    }),
  };
}

/** An asset's page: the asset, its type's hints, its case history and how many cases are open on it. */
export async function assetPage(db: Kysely<Database>, id: number, scope: AssetScope, limit = 200) {
  const asset = await findAssetById(db, id, scope);
  if (!asset) throw notFound('asset', id);
  const [cases, open] = await Promise.all([findCasesOfAsset(db, id, limit), findOpenCasesOnAsset(db, id)]);
  return { asset, asset_type: assetType(asset.type) ?? null, cases, open_cases: open.length };
}

/** Open cases on the same asset: the strongest duplicate signal for a new report. */
export async function openCasesOnAsset(db: Kysely<Database>, assetId: number) {
  return findOpenCasesOnAsset(db, assetId);
}

function unknownType(type: string, field: string): AppError {
  return badInput(field, `"${type}" is not an asset type (known: ${ASSET_TYPES.map((t) => t.code).join(', ')})`,
    `"${type}" är ingen objekttyp`, 'unknown_asset_type');
}

/** Checks a point is a WGS84 coordinate in Sweden. */
export function checkPoint(lat: number, lon: number, field = 'lat'): void {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 || !withinSwedenExtent(lon, lat)) {
    throw badInput(field, `(${lat}, ${lon}) is not a WGS84 coordinate in Sweden`, `(${lat}, ${lon}) är ingen WGS84-koordinat i Sverige`, 'bad_coordinates');
  }
}

export interface AssetInput {
  type: string;
  code: string;
  name?: string;
  lat: number;
  lon: number;
  geometry?: unknown | null;
  attributes?: Record<string, unknown>;
  state?: 'in_use' | 'out_of_use';
  responsible_organisation?: string | number | null;
}

async function responsibleId(db: Kysely<Database>, ref: string | number | null | undefined, fallback: number): Promise<number> {
  if (ref === null || ref === undefined || ref === '') return fallback;
  const org = await findOrganisation(db, ref);
  if (!org) throw badInput('responsible_organisation', `no organisation "${ref}"`, `ingen organisation "${ref}"`);
  return org.id;
}

/** Registers an asset for an organisation; the code must be new for that organisation. */
export async function createAsset(db: Kysely<Database>, organisationId: number, input: AssetInput): Promise<number> {
  if (!assetType(input.type)) throw unknownType(input.type, 'type');
  const code = input.code.trim();
  if (!code) throw badInput('code', 'is required', 'måste anges', 'missing_field');
  checkPoint(input.lat, input.lon);
  const values: AssetValues = {
    organisation_id: organisationId,
    responsible_organisation_id: await responsibleId(db, input.responsible_organisation, organisationId),
    type: input.type, code, name: input.name?.trim() ?? '', lat: input.lat, lon: input.lon,
    geometry: input.geometry ?? null, attributes: input.attributes ?? {}, state: input.state ?? 'in_use',
  };
  try {
    return (await insertAsset(db, values)).id;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new AppError({ status: 409, code: 'duplicate_code', field: 'code', message: `code: ${code} is already registered`, message_sv: `code: ${code} finns redan` });
    }
    throw error;
  }
}

/** Changes an asset the caller's organisation owns. */
export async function changeAsset(db: Kysely<Database>, id: number, organisationId: number, input: Partial<AssetInput>): Promise<void> {
  const asset = await findAssetById(db, id, { organisationId });
  if (!asset || asset.organisation_id !== organisationId) throw notFound('asset', id);
  if (input.type !== undefined && !assetType(input.type)) throw unknownType(input.type, 'type');
  const lat = input.lat ?? asset.lat;
  const lon = input.lon ?? asset.lon;
  checkPoint(lat, lon);
  const { responsible_organisation, code, ...rest } = input;
  if (code !== undefined && code.trim() !== asset.code) throw badInput('code', 'cannot be changed; it is the key imports match on', 'kan inte ändras; importen matchar på den');
  await updateAsset(db, id, {
    ...rest,
    lat, lon,
    ...(responsible_organisation !== undefined ? { responsible_organisation_id: await responsibleId(db, responsible_organisation, organisationId) } : {}),
  });
}

/**
 * Resolves an asset code given by a reporter, an app (Open311 `attribute[asset_code]`, CitySDK
 * `service_object_id`) or a machine into what the case needs: the asset id, its location and the
 * routing override naming the asset's responsible organisation. Codes are unique per owner, so:
 * `scopeOrganisationId` (alarms) only accepts assets that organisation owns or is responsible for;
 * `organisationHint` (id, slug or kommunkod, e.g. Open311 jurisdiction_id) prefers that owner;
 * `type` (CitySDK `service_object_type`) narrows by asset type; a nearby point picks the nearest.
 * `serviceCode` keeps the override off when the report is not about what the asset is for (graffiti
 * on a lamp post still goes to the area's body). Unknown or ambiguous codes are a 400 on `field`.
 */
export async function resolveAssetForCase(
  db: Kysely<Database>,
  opts: {
    code: string; organisationHint?: string | number | null; scopeOrganisationId?: number; type?: string | null;
    lat?: number | null; lon?: number | null; serviceCode?: string | null; field?: string;
  },
): Promise<ResolvedAsset> {
  const field = opts.field ?? 'asset_code';
  const code = opts.code.trim();
  let rows = code ? await findAssetsByCode(db, code) : [];
  if (opts.scopeOrganisationId !== undefined) {
    rows = rows.filter((r) => r.organisation_id === opts.scopeOrganisationId || r.responsible_organisation_id === opts.scopeOrganisationId);
  }
  if (opts.type) rows = rows.filter((r) => r.type === opts.type);
  if (rows.length > 1 && opts.organisationHint !== undefined && opts.organisationHint !== null && opts.organisationHint !== '') {
    const hint = String(opts.organisationHint);
    const preferred = rows.filter((r) => String(r.organisation_id) === hint || r.owner_slug === hint || r.owner_municipality_code === hint);
    if (preferred.length > 0) rows = preferred;
  }
  if (rows.length > 1 && opts.lat != null && opts.lon != null) {
    const d = (r: (typeof rows)[number]) => distanceMetres(opts.lat!, opts.lon!, r.lat, r.lon);
    rows = [...rows].sort((a, b) => d(a) - d(b)).slice(0, 1);
  }
  if (rows.length === 0) throw badInput(field, `no asset has the code "${code}"`, `inget objekt har koden "${code}"`, 'unknown_asset');
  if (rows.length > 1) {
    throw badInput(field, `"${code}" is the code of assets of several organisations; give jurisdiction_id or a location`,
      `"${code}" används av flera organisationer; ange kommun eller plats`, 'ambiguous_asset');
  }
  const a = rows[0];
  const t = assetType(a.type);
  const serves = !opts.serviceCode || !t || t.service_codes.includes(opts.serviceCode);
  return {
    asset_id: a.id,
    code: a.code,
    type: a.type,
    organisation_id: a.organisation_id,
    location: { lat: a.lat, lon: a.lon },
    routing_override: serves
      ? {
          provider_organisation_id: a.responsible_organisation_id,
          unit_id: await defaultUnitOf(db, a.responsible_organisation_id),
          explanation_sv: `${a.municipality_name ?? a.owner_name_sv}, ${t?.category_sv ?? a.type} → ${a.responsible_name_sv}, ansvarig för ${t?.noun_sv ?? 'objekt'} ${a.code}`,
          explanation_en: `${a.municipality_name ?? a.owner_name_en}, ${t?.category_en ?? a.type} → ${a.responsible_name_en}, responsible for ${t?.noun_en ?? 'asset'} ${a.code}`,
        }
      : null,
  };
}

/** Ids of the assets with a code and/or type (CitySDK `service_object_id`/`service_object_type` filters on GET requests). */
export async function assetIdsMatching(db: Kysely<Database>, opts: { code?: string; type?: string }): Promise<number[]> {
  return (await findAssetIds(db, opts)).map((r) => r.id);
}

/** Code and type of some assets by id, for showing which asset a case is about. */
export async function assetLabels(db: Kysely<Database>, ids: number[]): Promise<Map<number, { code: string; type: string }>> {
  const rows = ids.length ? await findAssetLabels(db, [...new Set(ids)]) : [];
  return new Map(rows.map((r) => [r.id, { code: r.code, type: r.type }]));
}
