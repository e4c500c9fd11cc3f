import { sql, type Kysely } from 'kysely';
import type { CaseStatus, Database } from '../db/types.js';
import { boxAround, distanceMetres } from '../geo/distance.js';
import { scopeSql, type CaseScope } from './scope.js';
import { OPEN_STATUSES } from './states.js';

/** Defaults of the duplicate search (the 50 m and a month). */
export const DUPLICATE_RADIUS_M = 50;
export const DUPLICATE_WINDOW_DAYS = 30;

/** An open case near a point, with only what the public case page shows as well. */
export interface NearbyCase {
  id: number;
  public_id: string;
  organisation_id: number;
  status: CaseStatus;
  service_code: string;
  service_name_sv: string;
  service_name_en: string;
  description: string;
  address: string | null;
  lat: number;
  lon: number;
  requested_at: Date;
  distance_m: number;
}

export interface NearbyQuery {
  lat: number;
  lon: number;
  /** Only this service (duplicates); all services when absent (what a caller may be asking about). */
  service_id?: number | null;
  radius_m?: number;
  days?: number;
  now?: Date;
  exclude_case_id?: number | null;
  /** Staff scope; null for the contact centre's cross-body search, which never returns confidential cases. */
  scope: CaseScope | null;
  limit?: number;
}

/**
 * Open cases near a point, nearest first: an index-friendly bounding box on (lat, lon) (and service),
 * then the exact great-circle distance. Used when a case is registered, in triage and by the contact centre.
 */
export async function findNearbyOpen(db: Kysely<Database>, q: NearbyQuery): Promise<NearbyCase[]> {
  const radius = q.radius_m ?? DUPLICATE_RADIUS_M;
  const since = new Date((q.now ?? new Date()).getTime() - (q.days ?? DUPLICATE_WINDOW_DAYS) * 86_400_000);
  const box = boxAround(q.lat, q.lon, radius);
  let query = db
    .selectFrom('cases')
    .innerJoin('services', 'services.id', 'cases.service_id')
    .select(['cases.id', 'cases.public_id', 'cases.organisation_id', 'cases.status', 'services.service_code', 'services.name_sv as service_name_sv',
      'services.name_en as service_name_en', 'cases.description', 'cases.address', 'cases.requested_at'])
    .select([sql<number>`cases.lat`.as('lat'), sql<number>`cases.lon`.as('lon')])
    .where('cases.lat', '>=', box.minLat).where('cases.lat', '<=', box.maxLat)
    .where('cases.lon', '>=', box.minLon).where('cases.lon', '<=', box.maxLon)
    .where('cases.status', 'in', OPEN_STATUSES)
    .where('cases.requested_at', '>=', since)
    .limit(500);
  if (q.service_id) query = query.where('cases.service_id', '=', q.service_id);
  if (q.exclude_case_id) query = query.where('cases.id', '!=', q.exclude_case_id);
  query = q.scope ? query.where(scopeSql(q.scope)) : query.where('cases.confidential', '=', false);
  const rows = await query.execute();
  return rows
    .map((r) => ({ ...r, distance_m: Math.round(distanceMetres(q.lat, q.lon, r.lat, r.lon)) }))
    .filter((r) => r.distance_m <= radius)
    .sort((a, b) => a.distance_m - b.distance_m || a.id - b.id)
    .slice(0, q.limit ?? 10);
}
