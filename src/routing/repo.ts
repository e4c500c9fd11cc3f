import { sql, type Kysely } from 'kysely';
import type { AreaKind, Database, ResponsibilityKind } from '../db/types.js';
import type { IndexedArea } from '../geo/area-index.js';

/** A responsibility that could apply to a case in one of the given areas. */
export interface CandidateResponsibility {
  responsibility_id: number;
  area_id: number;
  area_kind: AreaKind;
  area_name: string;
  kind: ResponsibilityKind;
  reference: string | null;
  provider_organisation_id: number;
  provider_name_sv: string;
  provider_name_en: string;
  unit_id: number | null;
  /** 3 = this very service, 2 = its group, 1 = all services. */
  service_match: number;
  valid_from: string;
}

/** Every area with its polygon, for the in-memory index. */
export async function loadIndexedAreas(db: Kysely<Database>): Promise<IndexedArea[]> {
  const rows = await db
    .selectFrom('areas')
    .select(['id', 'kind', 'code', 'name', 'municipality_code', 'geometry', 'min_lon', 'min_lat', 'max_lon', 'max_lat'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    code: r.code,
    name: r.name,
    municipality_code: r.municipality_code,
    geometry: r.geometry,
    bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat],
  }));
}

/** Count and latest change of the areas: differs whenever an area was added, edited or removed. */
export async function areasSignature(db: Kysely<Database>): Promise<string> {
  const row = await sql<{ n: number; latest: string | null }>`
    select count(*)::int as n, to_char(max(updated_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as latest from areas
  `.execute(db);
  return `${row.rows[0].n}/${row.rows[0].latest ?? ''}`;
}

/** Responsibilities valid on `onDate` for the service (itself, its group or all services) in any of the areas. */
export async function findCandidateResponsibilities(
  db: Kysely<Database>,
  areaIds: number[],
  serviceId: number,
  groupCode: string,
  onDate: string,
): Promise<CandidateResponsibility[]> {
  if (areaIds.length === 0) return [];
  const result = await sql<CandidateResponsibility>`
    select r.id as responsibility_id, a.id as area_id, a.kind as area_kind, a.name as area_name,
           r.kind, r.reference, r.provider_organisation_id,
           o.name_sv as provider_name_sv, o.name_en as provider_name_en,
           coalesce(r.receiving_unit_id, (select u.id from units u where u.organisation_id = o.id and u.is_default)) as unit_id,
           case when exists (select 1 from responsibility_services s where s.responsibility_id = r.id and s.service_id = ${serviceId}) then 3
                when exists (select 1 from responsibility_services s where s.responsibility_id = r.id and s.group_code = ${groupCode}) then 2
                else 1 end as service_match,
           to_char(r.valid_from, 'YYYY-MM-DD') as valid_from
    from responsibilities r
    join responsibility_areas ra on ra.responsibility_id = r.id
    join areas a on a.id = ra.area_id
    join organisations o on o.id = r.provider_organisation_id
    where ra.area_id in (${sql.join(areaIds)})
      and r.valid_from <= ${onDate}::date
      and (r.valid_to is null or r.valid_to >= ${onDate}::date)
      and (r.all_services
           or exists (select 1 from responsibility_services s
                      where s.responsibility_id = r.id and (s.service_id = ${serviceId} or s.group_code = ${groupCode})))
  `.execute(db);
  return result.rows;
}

/** The municipality a postal code belongs to. */
export async function municipalityOfPostalCode(db: Kysely<Database>, postalCode: string): Promise<string | undefined> {
  const row = await db.selectFrom('postal_codes').select('municipality_code').where('postal_code', '=', postalCode).executeTakeFirst();
  return row?.municipality_code;
}

/** Municipality names and contact details, for explanations and "contact instead" hints. */
export async function findMunicipalityOrganisation(db: Kysely<Database>, code: string) {
  return db
    .selectFrom('organisations')
    .innerJoin('municipalities', 'municipalities.code', 'organisations.municipality_code')
    .select([
      'organisations.id',
      'organisations.name_sv',
      'organisations.name_en',
      'organisations.contact_email',
      'organisations.contact_phone',
      'organisations.website',
      'municipalities.name_short',
    ])
    .where('organisations.kind', '=', 'municipality')
    .where('organisations.municipality_code', '=', code)
    .executeTakeFirst();
}

/**
 * The municipalities an organisation administers: its own (for a municipality) and those where it
 * provides a responsibility (a joint service's members, a state agency's road corridors).
 */
export async function administeredMunicipalities(db: Kysely<Database>, organisationId: number): Promise<string[]> {
  const result = await sql<{ code: string }>`
    select municipality_code as code from organisations where id = ${organisationId} and municipality_code is not null
    union
    select a.municipality_code from responsibilities r
      join responsibility_areas ra on ra.responsibility_id = r.id
      join areas a on a.id = ra.area_id
    where r.provider_organisation_id = ${organisationId} and a.municipality_code is not null
  `.execute(db);
  return result.rows.map((r) => r.code).sort();
}

/** The areas, without their polygons, for the admin list. */
export async function listAreas(db: Kysely<Database>, filter: { kind?: AreaKind; municipality_code?: string }) {
  let q = db
    .selectFrom('areas')
    .select(['id', 'kind', 'code', 'name', 'municipality_code', 'owner_organisation_id', 'min_lon', 'min_lat', 'max_lon', 'max_lat', 'updated_at'])
    .orderBy('kind')
    .orderBy('code');
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.municipality_code) q = q.where('municipality_code', '=', filter.municipality_code);
  return q.execute();
}

/** One area with its polygon. */
export async function findArea(db: Kysely<Database>, id: number) {
  return db.selectFrom('areas').selectAll().where('id', '=', id).executeTakeFirst();
}
