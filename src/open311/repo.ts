import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { CaseStatus, Database } from '../db/types.js';

/** Every municipality's code: the Open311 jurisdictions. */
export async function listJurisdictionCodes(db: Kysely<Database>): Promise<string[]> {
  return (await db.selectFrom('municipalities').select('code').execute()).map((m) => m.code);
}

/**
 * Active services offered in a municipality on a date: those some valid responsibility covers there
 * (by itself, its group or all services) in the municipality's own area or an area inside it.
 * Without a jurisdiction, the whole national catalogue.
 */
export async function listServicesOffered(db: Kysely<Database>, jurisdiction: string | null, onDate: string) {
  let query = db
    .selectFrom('services')
    .innerJoin('service_groups', 'service_groups.code', 'services.group_code')
    .selectAll('services')
    .select(['service_groups.name_sv as group_name_sv', 'service_groups.name_en as group_name_en'])
    .where('services.active', '=', true);
  if (jurisdiction) {
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('responsibilities as r')
          .innerJoin('responsibility_areas as ra', 'ra.responsibility_id', 'r.id')
          .innerJoin('areas as a', 'a.id', 'ra.area_id')
          .select(sql`1`.as('one'))
          .where((eb) => eb.or([eb('a.municipality_code', '=', jurisdiction), eb.and([eb('a.kind', '=', 'municipality'), eb('a.code', '=', jurisdiction)])]))
          .where('r.valid_from', '<=', onDate)
          .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>=', onDate)]))
          .where((eb) =>
            eb.or([
              eb('r.all_services', '=', true),
              eb.exists(
                eb.selectFrom('responsibility_services as rs')
                  .select(sql`1`.as('one'))
                  .whereRef('rs.responsibility_id', '=', 'r.id')
                  .where((inner) => inner.or([inner('rs.service_id', '=', inner.ref('services.id')), inner('rs.group_code', '=', inner.ref('services.group_code'))])),
              ),
            ]),
          ),
      ),
    );
  }
  return query.orderBy('service_groups.sort_order').orderBy('services.sort_order').orderBy('services.service_code').execute();
}

/** What GET requests may filter on; every filter uses an index on cases (see migration 0100). */
export interface RequestQuery {
  jurisdiction: string | null;
  publicIds?: string[];
  serviceIds?: number[];
  requestedFrom?: Date;
  requestedTo?: Date;
  statuses?: CaseStatus[];
  updatedAfter?: Date;
  updatedBefore?: Date;
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  near?: { lat: number; lon: number; radius: number };
  /** CitySDK service_object_id/service_object_type, resolved to asset ids. */
  assetIds?: number[];
  limit: number;
  offset: number;
}

const EARTH_RADIUS_M = 6_371_000;

/**
 * The page of public cases a request list shows, newest first; confidential cases never appear. Every
 * filter uses an index on cases (see migrations 0100 and 0820).
 */
function matchingRequests(db: Kysely<Database>, q: RequestQuery) {
  let query = db.selectFrom('cases').where('cases.confidential', '=', false);
  if (q.jurisdiction) query = query.where('cases.municipality_code', '=', q.jurisdiction);
  if (q.publicIds) {
    query = query.where('cases.public_id', 'in', q.publicIds.length ? q.publicIds : ['']);
  } else {
    if (q.serviceIds) query = query.where('cases.service_id', 'in', q.serviceIds);
    if (q.requestedFrom) query = query.where('cases.requested_at', '>=', q.requestedFrom);
    if (q.requestedTo) query = query.where('cases.requested_at', '<=', q.requestedTo);
    if (q.statuses) query = query.where('cases.status', 'in', q.statuses);
    if (q.assetIds) query = query.where('cases.asset_id', 'in', q.assetIds.length ? q.assetIds : [0]);
    if (q.updatedAfter) query = query.where('cases.updated_at', '>', q.updatedAfter);
    if (q.updatedBefore) query = query.where('cases.updated_at', '<', q.updatedBefore);
    if (q.bbox) {
      query = query
        .where('cases.lat', '>=', q.bbox.minLat).where('cases.lat', '<=', q.bbox.maxLat)
        .where('cases.lon', '>=', q.bbox.minLon).where('cases.lon', '<=', q.bbox.maxLon);
    }
    if (q.near) {
      const { lat, lon, radius } = q.near;
      const dLat = (radius / EARTH_RADIUS_M) * (180 / Math.PI);
      const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
      query = query
        .where('cases.lat', '>=', lat - dLat).where('cases.lat', '<=', lat + dLat)
        .where('cases.lon', '>=', lon - dLon).where('cases.lon', '<=', lon + dLon)
        .where(sql<boolean>`2 * ${EARTH_RADIUS_M} * asin(sqrt(power(sin(radians(cases.lat - ${lat}) / 2), 2)
          + cos(radians(${lat})) * cos(radians(cases.lat)) * power(sin(radians(cases.lon - ${lon}) / 2), 2))) <= ${radius}`);
    }
  }
  return query.orderBy('cases.requested_at', 'desc').orderBy('cases.id', 'desc').limit(q.limit).offset(q.offset);
}

/** A time as seconds since 1970: a number parses far faster than a timestamp, and a page has 4 000 of them. */
const epochSeconds = (column: string) => sql<number>`date_part('epoch', ${sql.ref(column)})`;

/**
 * The rows of a request list. Names and the routing explanation come in the asked language only, times as
 * seconds: a page has 1 000 rows, and every value costs parsing.
 */
export async function listRequests(db: Kysely<Database>, q: RequestQuery, locale: 'sv' | 'en') {
  const en = locale === 'en';
  return matchingRequests(db, q)
    .innerJoin('services', 'services.id', 'cases.service_id')
    .innerJoin('organisations', 'organisations.id', 'cases.organisation_id')
    .select([
      'cases.id', 'cases.public_id', 'cases.status', 'cases.title', 'cases.description', 'cases.lat', 'cases.lon', 'cases.address',
      'cases.postal_code', 'cases.media_url', 'cases.asset_id',
      'services.service_code', en ? 'services.name_en as service_name' : 'services.name_sv as service_name', 'services.sensitive_location',
      en ? 'organisations.name_en as agency' : 'organisations.name_sv as agency',
      epochSeconds('cases.requested_at').as('requested_at'), epochSeconds('cases.updated_at').as('updated_at'),
      epochSeconds('cases.closed_at').$castTo<number | null>().as('closed_at'), epochSeconds('cases.sla_due_at').$castTo<number | null>().as('sla_due_at'),
      sql<string | null>`cases.routing->>${en ? 'explanation_en' : 'explanation_sv'}`.as('service_notice'),
    ])
    .select((eb) => latestPublicNote(eb).select('e.body').as('status_notes'))
    .execute();
}

/** The newest public event with text of the case in the outer query: its body is the request's status_notes. */
function latestPublicNote(eb: ExpressionBuilder<Database, 'cases'>) {
  return eb.selectFrom('case_events as e').whereRef('e.case_id', '=', 'cases.id').where('e.visibility', '=', 'public')
    .where('e.body', 'is not', null).orderBy('e.id', 'desc').limit(1);
}

/**
 * What a request list's page is made of, as one md5: the row version (xmin, renewed by every committed change)
 * of each listed case and of its latest public note, and those of all services and organisations (a few hundred
 * rows, seldom changed, whose names the list shows). Equal fingerprints mean equal pages, so a rendered page
 * can be reused without a stale answer (see routes.ts). The rows are taken in the page's order, unsorted:
 * should that order ever differ for the same rows, the cost is a page rendered again, never a wrong one.
 */
export async function requestsFingerprint(db: Kysely<Database>, q: RequestQuery): Promise<string> {
  const page = matchingRequests(db, q)
    .select(sql<string>`cases.id || ':' || cases.xmin`.as('row'))
    .select((eb) => latestPublicNote(eb).select(sql<string>`e.id || '/' || e.xmin`.as('v')).as('note'));
  const result = await db.selectFrom(page.as('page'))
    .select(sql<string>`md5(concat_ws(';', count(*), string_agg(page.row || ':' || coalesce(page.note, ''), ','),
      (select string_agg(xmin::text, ',') from services), (select string_agg(xmin::text, ',') from organisations)))`.as('fingerprint'))
    .executeTakeFirstOrThrow();
  return result.fingerprint;
}

export type RequestRow = Awaited<ReturnType<typeof listRequests>>[number];

/** Public notes (events with text) of some cases, oldest first, for `extensions=true`. */
export async function listPublicNotes(db: Kysely<Database>, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('case_events')
    .select(['case_id', 'kind', 'body', 'status_after', 'created_at'])
    .where('case_id', 'in', caseIds)
    .where('visibility', '=', 'public')
    .where('body', 'is not', null)
    .orderBy('case_id')
    .orderBy('id')
    .execute();
}

/**
 * The public update feed (FixMyStreet's servicerequestupdates): public events after the creation, in a
 * time window, each with the case's state as it stood after that event.
 */
export async function listPublicUpdates(db: Kysely<Database>, q: { jurisdiction: string | null; from: Date; to: Date; limit: number; publicIds?: string[] }) {
  let query = db
    .selectFrom('case_events as e')
    .innerJoin('cases', 'cases.id', 'e.case_id')
    .select(['e.id', 'e.body', 'e.created_at', 'e.kind', 'cases.public_id'])
    .select((eb) =>
      eb.selectFrom('case_events as s')
        .select('s.status_after')
        .whereRef('s.case_id', '=', 'e.case_id')
        .whereRef('s.id', '<=', 'e.id')
        .where('s.status_after', 'is not', null)
        .orderBy('s.id', 'desc')
        .limit(1)
        .as('status_then'),
    )
    .where('e.visibility', '=', 'public')
    .where('e.kind', '!=', 'created')
    .where('e.created_at', '>=', q.from)
    .where('e.created_at', '<=', q.to)
    .where('cases.confidential', '=', false);
  if (q.jurisdiction) query = query.where('cases.municipality_code', '=', q.jurisdiction);
  if (q.publicIds) query = query.where('cases.public_id', 'in', q.publicIds.length ? q.publicIds : ['']);
  return query.orderBy('e.created_at').orderBy('e.id').limit(q.limit).execute();
}

/** The case a follow token (from the citizen's receipt) belongs to. */
export async function findCaseByFollowToken(db: Kysely<Database>, token: string) {
  return db.selectFrom('cases').select(['public_id', 'follow_token', 'municipality_code', 'confidential']).where('follow_token', '=', token).executeTakeFirst();
}

/** A case by its public id, for updates posted to it. */
export async function findCaseByPublicId(db: Kysely<Database>, publicId: string) {
  return db.selectFrom('cases').select(['id', 'public_id', 'status', 'organisation_id', 'api_key_id', 'municipality_code']).where('public_id', '=', publicId).executeTakeFirst();
}

/** An update already recorded on a case under a client's update_id. */
export async function findEventByExternalId(db: Kysely<Database>, caseId: number, externalUpdateId: string) {
  return db.selectFrom('case_events').select(['id', 'created_at']).where('case_id', '=', caseId).where('external_update_id', '=', externalUpdateId).executeTakeFirst();
}
