import { sql, type Kysely } from 'kysely';
import type { CaseStatus, Database } from '../db/types.js';
import { boxAround, distanceMetres } from '../geo/distance.js';
import { CLOSED_STATUSES, OPEN_STATUSES } from '../cases/states.js';

function caseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('cases')
    .innerJoin('services', 'services.id', 'cases.service_id')
    .innerJoin('organisations', 'organisations.id', 'cases.organisation_id')
    .innerJoin('municipalities', 'municipalities.code', 'cases.municipality_code')
    .select([
      'cases.id', 'cases.public_id', 'cases.status', 'cases.requested_at', 'cases.updated_at', 'cases.closed_at', 'cases.sla_due_at',
      'cases.lat', 'cases.lon', 'cases.address', 'cases.postal_code', 'cases.description', 'cases.confidential', 'cases.routing',
      'cases.municipality_code', 'cases.follow_token', 'cases.organisation_id', 'cases.duplicate_of_case_id',
      'services.service_code', 'services.name_sv as service_name_sv', 'services.name_en as service_name_en', 'services.group_code',
      'services.sensitive_location',
      'organisations.name_sv as organisation_name_sv', 'organisations.name_en as organisation_name_en',
      'municipalities.name_short as municipality_name',
    ]);
}

export type PublicCaseRow = NonNullable<Awaited<ReturnType<typeof findCaseByNumber>>>;

/** A case by its readable number, with the names the public page shows. */
export async function findCaseByNumber(db: Kysely<Database>, publicId: string) {
  return caseQuery(db).where('cases.public_id', '=', publicId).executeTakeFirst();
}

/** A case by its private follow token. */
export async function findCaseByToken(db: Kysely<Database>, token: string) {
  return caseQuery(db).where('cases.follow_token', '=', token).executeTakeFirst();
}

/** The readable number of a case by id (for "duplicate of"). */
export async function publicIdOf(db: Kysely<Database>, id: number): Promise<string | undefined> {
  return (await db.selectFrom('cases').select('public_id').where('id', '=', id).executeTakeFirst())?.public_id;
}

/** The public events of a case in order, with the organisation that acted. */
export async function publicEvents(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('case_events')
    .leftJoin('organisations', 'organisations.id', 'case_events.actor_organisation_id')
    .select(['case_events.id', 'case_events.kind', 'case_events.status_after', 'case_events.body', 'case_events.created_at',
      'organisations.name_sv as actor_org_sv', 'organisations.name_en as actor_org_en'])
    .where('case_events.case_id', '=', caseId)
    .where('case_events.visibility', '=', 'public')
    .orderBy('case_events.id')
    .execute();
}

/** The public, not disposed photos of a case. */
export async function publicPhotos(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('attachments')
    .select(['storage_key', 'width', 'height'])
    .where('case_id', '=', caseId)
    .where('visibility', '=', 'public')
    .where('disposed_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** A photo by its storage key, if it may be shown to anyone. */
export async function findPublicPhoto(db: Kysely<Database>, storageKey: string) {
  return db
    .selectFrom('attachments')
    .innerJoin('cases', 'cases.id', 'attachments.case_id')
    .select(['attachments.storage_key', 'attachments.content_type'])
    .where('attachments.storage_key', '=', storageKey)
    .where('attachments.visibility', '=', 'public')
    .where('attachments.disposed_at', 'is', null)
    .where('cases.confidential', '=', false)
    .executeTakeFirst();
}

/** Open, public cases of a service within `radius` metres of a point, nearest first. */
export async function nearbyOpenCases(db: Kysely<Database>, serviceId: number, lat: number, lon: number, radius: number, limit = 5) {
  const box = boxAround(lat, lon, radius);
  const rows = await caseQuery(db)
    .where('cases.service_id', '=', serviceId)
    .where('cases.status', 'in', OPEN_STATUSES)
    .where('cases.confidential', '=', false)
    .where('cases.lat', '>=', box.minLat).where('cases.lat', '<=', box.maxLat)
    .where('cases.lon', '>=', box.minLon).where('cases.lon', '<=', box.maxLon)
    .limit(200)
    .execute();
  return rows
    .map((r) => ({ row: r, distance: Math.round(distanceMetres(lat, lon, r.lat!, r.lon!)) }))
    .filter((r) => r.distance <= radius)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit);
}

/** Open, public cases of a service in a postal code area (when the reporter gave no point), newest first. */
export async function openCasesInPostalCode(db: Kysely<Database>, serviceId: number, postalCode: string, limit = 5) {
  return caseQuery(db)
    .where('cases.service_id', '=', serviceId)
    .where('cases.status', 'in', OPEN_STATUSES)
    .where('cases.confidential', '=', false)
    .where('cases.postal_code', '=', postalCode)
    .orderBy('cases.requested_at', 'desc')
    .limit(limit)
    .execute();
}

export interface RecentFilter {
  municipality_code: string;
  service_code?: string;
  status?: 'open' | 'closed' | CaseStatus;
  limit: number;
  before_id?: number;
}

/** Recent public cases of a municipality, newest first, with filters. */
export async function recentCases(db: Kysely<Database>, filter: RecentFilter) {
  let q = caseQuery(db)
    .where('cases.municipality_code', '=', filter.municipality_code)
    .where('cases.confidential', '=', false);
  if (filter.service_code) q = q.where('services.service_code', '=', filter.service_code);
  if (filter.status === 'open') q = q.where('cases.status', 'in', OPEN_STATUSES);
  else if (filter.status === 'closed') q = q.where('cases.status', 'in', CLOSED_STATUSES);
  else if (filter.status) q = q.where('cases.status', '=', filter.status);
  if (filter.before_id) q = q.where('cases.id', '<', filter.before_id);
  return q.orderBy('cases.requested_at', 'desc').orderBy('cases.id', 'desc').limit(filter.limit).execute();
}

/** How many open cases a municipality has (for the list page's heading). */
export async function countOpen(db: Kysely<Database>, municipalityCode: string): Promise<number> {
  const row = await db.selectFrom('cases').select(sql<number>`count(*)::int`.as('n'))
    .where('municipality_code', '=', municipalityCode).where('status', 'in', OPEN_STATUSES).where('confidential', '=', false)
    .executeTakeFirstOrThrow();
  return row.n;
}
