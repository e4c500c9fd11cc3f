import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';

/** Columns an asset row is written with (import and the staff form). */
export interface AssetValues {
  organisation_id: number;
  responsible_organisation_id: number;
  type: string;
  code: string;
  name: string;
  lat: number;
  lon: number;
  geometry: unknown | null;
  attributes: Record<string, unknown>;
  state: 'in_use' | 'out_of_use';
}

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** Who may see an asset: its owner or the organisation responsible for it. */
export type AssetScope = { organisationId: number } | null;

const ASSET_COLUMNS = [
  'assets.id', 'assets.organisation_id', 'assets.responsible_organisation_id', 'assets.type', 'assets.code', 'assets.name',
  'assets.lat', 'assets.lon', 'assets.geometry', 'assets.attributes', 'assets.state', 'assets.created_at', 'assets.updated_at',
] as const;

function scoped<QB extends { where: any }>(qb: QB, scope: AssetScope): QB {
  if (!scope) return qb;
  return qb.where((eb: any) => eb.or([eb('assets.organisation_id', '=', scope.organisationId), eb('assets.responsible_organisation_id', '=', scope.organisationId)]));
}

/** Assets in a bounding box, optionally of some types and states, capped at `limit` (+1 to tell truncation). */
export async function findAssetsInBbox(
  db: Kysely<Database>,
  opts: { bbox: Bbox; types?: string[]; states?: ('in_use' | 'out_of_use')[]; scope: AssetScope; limit: number },
) {
  let q = db
    .selectFrom('assets')
    .select(ASSET_COLUMNS)
    .where('assets.lon', '>=', opts.bbox[0]).where('assets.lon', '<=', opts.bbox[2])
    .where('assets.lat', '>=', opts.bbox[1]).where('assets.lat', '<=', opts.bbox[3]);
  if (opts.types?.length) q = q.where('assets.type', 'in', opts.types);
  if (opts.states?.length) q = q.where('assets.state', 'in', opts.states);
  return scoped(q, opts.scope).orderBy('assets.id').limit(opts.limit + 1).execute();
}

/** One asset by id, with its owner's and responsible organisation's names. */
export async function findAssetById(db: Kysely<Database>, id: number, scope: AssetScope) {
  const q = db
    .selectFrom('assets')
    .innerJoin('organisations as owner', 'owner.id', 'assets.organisation_id')
    .innerJoin('organisations as resp', 'resp.id', 'assets.responsible_organisation_id')
    .select(ASSET_COLUMNS)
    .select(['owner.name_sv as owner_name_sv', 'owner.name_en as owner_name_en', 'resp.name_sv as responsible_name_sv', 'resp.name_en as responsible_name_en'])
    .where('assets.id', '=', id);
  return scoped(q, scope).executeTakeFirst();
}

/** Assets with this code (codes are unique per owner, so several owners may share one). */
export async function findAssetsByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('assets')
    .innerJoin('organisations as owner', 'owner.id', 'assets.organisation_id')
    .innerJoin('organisations as resp', 'resp.id', 'assets.responsible_organisation_id')
    .leftJoin('municipalities', 'municipalities.code', 'owner.municipality_code')
    .select(ASSET_COLUMNS)
    .select([
      'owner.slug as owner_slug', 'owner.municipality_code as owner_municipality_code', 'owner.name_sv as owner_name_sv', 'owner.name_en as owner_name_en',
      'municipalities.name_short as municipality_name', 'resp.name_sv as responsible_name_sv', 'resp.name_en as responsible_name_en',
    ])
    .where('assets.code', '=', code)
    .orderBy('assets.id')
    .limit(50)
    .execute();
}

/** Assets with a code and/or a type (at most 1000). */
export async function findAssetIds(db: Kysely<Database>, opts: { code?: string; type?: string }) {
  let q = db.selectFrom('assets').select('id');
  if (opts.code) q = q.where('code', '=', opts.code);
  if (opts.type) q = q.where('type', '=', opts.type);
  return q.orderBy('id').limit(1000).execute();
}

/** Code and type of assets by id. */
export async function findAssetLabels(db: Kysely<Database>, ids: number[]) {
  return db.selectFrom('assets').select(['id', 'code', 'type']).where('id', 'in', ids).execute();
}

/** The case history of an asset, newest first. */
export async function findCasesOfAsset(db: Kysely<Database>, assetId: number, limit: number) {
  return db
    .selectFrom('cases')
    .innerJoin('services', 'services.id', 'cases.service_id')
    .select([
      'cases.id', 'cases.public_id', 'cases.status', 'cases.priority', 'cases.channel', 'cases.title', 'cases.description',
      'cases.requested_at', 'cases.closed_at', 'cases.organisation_id', 'services.service_code', 'services.name_sv as service_name_sv',
      'services.name_en as service_name_en',
    ])
    .where('cases.asset_id', '=', assetId)
    .orderBy('cases.requested_at', 'desc')
    .orderBy('cases.id', 'desc')
    .limit(limit)
    .execute();
}

/** Open cases on an asset (the strongest duplicate signal), oldest first. */
export async function findOpenCasesOnAsset(db: Kysely<Database>, assetId: number) {
  return db
    .selectFrom('cases')
    .select(['id', 'public_id', 'status', 'service_id', 'organisation_id', 'requested_at'])
    .where('asset_id', '=', assetId)
    .where('closed_at', 'is', null)
    .where('status', 'not in', ['fixed', 'closed', 'duplicate', 'forwarded', 'no_further_action'])
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
}

/** Inserts one asset. */
export async function insertAsset(db: Kysely<Database>, v: AssetValues) {
  return db
    .insertInto('assets')
    .values({ ...v, geometry: v.geometry === null ? null : JSON.stringify(v.geometry), attributes: JSON.stringify(v.attributes) })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Updates the given columns of an asset. */
export async function updateAsset(db: Kysely<Database>, id: number, v: Partial<AssetValues>) {
  const { geometry, attributes, ...rest } = v;
  return db
    .updateTable('assets')
    .set({
      ...rest,
      ...(geometry !== undefined ? { geometry: geometry === null ? null : JSON.stringify(geometry) } : {}),
      ...(attributes !== undefined ? { attributes: JSON.stringify(attributes) } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Upserts a batch on (organisation_id, code). Rows whose values did not change are left alone, so
 * the result tells inserted from updated and the rest were unchanged.
 */
export async function upsertAssets(trx: Kysely<Database>, rows: AssetValues[]): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const result = await trx
    .insertInto('assets')
    .values(rows.map((v) => ({ ...v, geometry: v.geometry === null ? null : JSON.stringify(v.geometry), attributes: JSON.stringify(v.attributes) })))
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'code'])
        .doUpdateSet({
          responsible_organisation_id: (eb) => eb.ref('excluded.responsible_organisation_id'),
          type: (eb) => eb.ref('excluded.type'),
          name: (eb) => eb.ref('excluded.name'),
          lat: (eb) => eb.ref('excluded.lat'),
          lon: (eb) => eb.ref('excluded.lon'),
          geometry: (eb) => eb.ref('excluded.geometry'),
          attributes: (eb) => eb.ref('excluded.attributes'),
          state: (eb) => eb.ref('excluded.state'),
          updated_at: sql`now()`,
        })
        .where(sql<boolean>`(assets.responsible_organisation_id, assets.type, assets.name, assets.lat, assets.lon, assets.geometry, assets.attributes, assets.state)
          is distinct from (excluded.responsible_organisation_id, excluded.type, excluded.name, excluded.lat, excluded.lon, excluded.geometry, excluded.attributes, excluded.state)`),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute();
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}

/** An organisation by id, slug or kommunkod. */
export async function findOrganisation(db: Kysely<Database>, ref: string | number) {
  return db
    .selectFrom('organisations')
    .select(['id', 'slug', 'name_sv', 'name_en', 'municipality_code', 'kind'])
    .where((eb) => (typeof ref === 'number' ? eb('id', '=', ref) : eb.or([eb('slug', '=', ref), eb('municipality_code', '=', ref)])))
    .executeTakeFirst();
}

/** The default unit of an organisation (where routed cases land). */
export async function defaultUnitOf(db: Kysely<Database>, organisationId: number): Promise<number | null> {
  const row = await db
    .selectFrom('units')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .orderBy('is_default', 'desc')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id ?? null;
}
