import { sql, type Kysely } from 'kysely';
import type { CaseStatus, Database } from '../db/types.js';

/** The filters of an export. Dates are Swedish calendar days (inclusive). */
export interface ExportFilter {
  municipalities: string[];
  from: string | null;
  to: string | null;
  services: string[];
  statuses: CaseStatus[];
}

/**
 * The columns an export may read. Reporter, attributes, media, routing and the as-received copy are not
 * selected at all, so they cannot leak through a formatting mistake.
 */
export interface ExportRow {
  id: number;
  public_id: string;
  municipality_code: string;
  service_code: string;
  service_name_sv: string;
  sensitive_location: boolean;
  confidential: boolean;
  status: CaseStatus;
  channel: string;
  title: string | null;
  description: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  requested_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  sla_due_at: Date | null;
  agency_name_sv: string;
}

/** Rows fetched per query while streaming. */
export const EXPORT_BATCH = 1000;

/** One batch of exportable cases after `afterId`, by id (keyset pagination; no open cursor between batches). */
export async function exportBatch(db: Kysely<Database>, f: ExportFilter, afterId: number, limit = EXPORT_BATCH): Promise<ExportRow[]> {
  const result = await sql<ExportRow>`
    select c.id, c.public_id, c.municipality_code, s.service_code, s.name_sv as service_name_sv, s.sensitive_location, c.confidential,
           c.status, c.channel, c.title, c.description, c.address, c.lat, c.lon, c.requested_at, c.updated_at, c.closed_at, c.sla_due_at,
           o.name_sv as agency_name_sv
    from cases c
    join services s on s.id = c.service_id
    join organisations o on o.id = c.organisation_id
    where c.id > ${afterId}
      ${f.municipalities.length ? sql`and c.municipality_code = any(${f.municipalities}::text[])` : sql``}
      ${f.from ? sql`and c.requested_at >= (${f.from}::date::timestamp at time zone 'Europe/Stockholm')` : sql``}
      ${f.to ? sql`and c.requested_at < ((${f.to}::date + 1)::timestamp at time zone 'Europe/Stockholm')` : sql``}
      ${f.services.length ? sql`and s.service_code = any(${f.services}::text[])` : sql``}
      ${f.statuses.length ? sql`and c.status = any(${f.statuses}::text[])` : sql``}
    order by c.id
    limit ${limit}`.execute(db);
  return result.rows;
}

/** Municipalities that have cases, with names, for the dataset description. */
export async function municipalitiesWithCases(db: Kysely<Database>) {
  const result = await sql<{ code: string; name: string; organisation_name: string | null; contact_email: string | null; website: string | null; first: Date; last: Date; modified: Date }>`
    select m.code, m.name, o.name_sv as organisation_name, o.contact_email, o.website,
           min(c.requested_at) as first, max(c.requested_at) as last, max(c.updated_at) as modified
    from cases c
    join municipalities m on m.code = c.municipality_code
    left join organisations o on o.kind = 'municipality' and o.municipality_code = m.code
    group by m.code, m.name, o.name_sv, o.contact_email, o.website
    order by m.code`.execute(db);
  return result.rows;
}
