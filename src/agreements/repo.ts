import { sql, type Kysely } from 'kysely';
import type { Database, ResponsibilityKind } from '../db/types.js';
import type { ReportRow } from './schema.js';

/** A responsibility row with its links, as stored. */
export interface StoredAgreement {
  id: number;
  title: string;
  reference: string | null;
  kind: ResponsibilityKind;
  provider_organisation_id: number;
  provider_name_sv: string;
  provider_name_en: string;
  all_services: boolean;
  valid_from: string;
  valid_to: string | null;
  receiving_unit_id: number | null;
  updated_at: Date;
  areas: { id: number; kind: string; code: string; name: string; municipality_code: string | null; municipality_name: string | null }[];
  service_codes: string[];
  group_codes: string[];
}

/** The columns of a responsibility an agreement sets. */
export interface AgreementRow {
  title: string;
  reference: string | null;
  kind: ResponsibilityKind;
  provider_organisation_id: number;
  all_services: boolean;
  valid_from: string;
  valid_to: string | null;
  receiving_unit_id: number | null;
}

/** Agreements, optionally only those one organisation is party to (provider, or one of the member municipalities). */
export async function findAgreements(db: Kysely<Database>, filter: { id?: number; partyOrganisationId?: number }): Promise<StoredAgreement[]> {
  const result = await sql<StoredAgreement>`
    select r.id, r.title, r.reference, r.kind, r.provider_organisation_id, o.name_sv as provider_name_sv, o.name_en as provider_name_en,
           r.all_services, to_char(r.valid_from, 'YYYY-MM-DD') as valid_from, to_char(r.valid_to, 'YYYY-MM-DD') as valid_to,
           r.receiving_unit_id, r.updated_at,
           coalesce((select json_agg(json_build_object('id', a.id, 'kind', a.kind, 'code', a.code, 'name', a.name,
                                                       'municipality_code', a.municipality_code, 'municipality_name', m.name_short) order by a.kind, a.code)
                     from responsibility_areas ra join areas a on a.id = ra.area_id left join municipalities m on m.code = a.municipality_code
                     where ra.responsibility_id = r.id), '[]') as areas,
           coalesce((select json_agg(s.service_code order by s.service_code) from responsibility_services rs join services s on s.id = rs.service_id
                     where rs.responsibility_id = r.id), '[]') as service_codes,
           coalesce((select json_agg(rs.group_code order by rs.group_code) from responsibility_services rs
                     where rs.responsibility_id = r.id and rs.group_code is not null), '[]') as group_codes
    from responsibilities r join organisations o on o.id = r.provider_organisation_id
    where (${filter.id ?? null}::int is null or r.id = ${filter.id ?? null}::int)
      and (${filter.partyOrganisationId ?? null}::int is null
           or r.provider_organisation_id = ${filter.partyOrganisationId ?? null}::int
           or exists (select 1 from responsibility_areas ra join areas a on a.id = ra.area_id
                      join organisations mo on mo.municipality_code = a.municipality_code and mo.kind = 'municipality'
                      where ra.responsibility_id = r.id and mo.id = ${filter.partyOrganisationId ?? null}::int))
    order by r.valid_from desc, r.id
  `.execute(db);
  return result.rows;
}

/** Writes a new responsibility or replaces an existing one's columns and links; returns its id. */
export async function saveAgreement(
  trx: Kysely<Database>,
  id: number | null,
  row: AgreementRow,
  links: { areaIds: number[]; serviceIds: number[]; groupCodes: string[] },
): Promise<number> {
  let savedId: number;
  if (id === null) {
    savedId = (await trx.insertInto('responsibilities').values(row).returning('id').executeTakeFirstOrThrow()).id;
  } else {
    await trx.updateTable('responsibilities').set({ ...row, updated_at: new Date() }).where('id', '=', id).execute();
    await trx.deleteFrom('responsibility_areas').where('responsibility_id', '=', id).execute();
    await trx.deleteFrom('responsibility_services').where('responsibility_id', '=', id).execute();
    savedId = id;
  }
  if (links.areaIds.length) await trx.insertInto('responsibility_areas').values(links.areaIds.map((area_id) => ({ responsibility_id: savedId, area_id }))).execute();
  const services = [
    ...links.serviceIds.map((service_id) => ({ responsibility_id: savedId, service_id, group_code: null })),
    ...links.groupCodes.map((group_code) => ({ responsibility_id: savedId, service_id: null, group_code })),
  ];
  if (services.length) await trx.insertInto('responsibility_services').values(services).execute();
  return savedId;
}

/** Ends an agreement on a date (the last day it routes). */
export async function endAgreement(trx: Kysely<Database>, id: number, validTo: string): Promise<void> {
  await trx.updateTable('responsibilities').set({ valid_to: validTo, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Appends to the agreement's audit trail. */
export async function logChange(
  trx: Kysely<Database>,
  change: { responsibility_id: number; action: 'created' | 'updated' | 'ended'; user_id: number; organisation_id: number; before: unknown; after: unknown },
): Promise<void> {
  await trx.insertInto('responsibility_changes').values({
    ...change, before: change.before === null ? null : JSON.stringify(change.before), after: JSON.stringify(change.after),
  }).execute();
}

/**
 * Cases routed under an agreement and requested in [from, to] (Swedish calendar days), per buyer
 * municipality plus a total row: counts, median hours from request to close, and SLA met/breached
 * (breached = closed after the due time, or still open past it now).
 */
export async function agreementReport(db: Kysely<Database>, responsibilityId: number, from: string, to: string): Promise<ReportRow[]> {
  const result = await sql<ReportRow>`
    with c as (
      select municipality_code, closed_at, requested_at, sla_due_at
      from cases
      where responsibility_id = ${responsibilityId}
        and requested_at >= (${from}::date)::timestamp at time zone 'Europe/Stockholm'
        and requested_at < (${to}::date + 1)::timestamp at time zone 'Europe/Stockholm'
    )
    select c.municipality_code, coalesce(m.name_short, 'Totalt') as municipality,
           count(*)::int as cases,
           count(c.closed_at)::int as closed,
           (count(*) - count(c.closed_at))::int as open,
           round((percentile_cont(0.5) within group (order by extract(epoch from c.closed_at - c.requested_at) / 3600))::numeric, 1)::float8 as median_handling_hours,
           count(*) filter (where c.sla_due_at is not null and c.closed_at <= c.sla_due_at)::int as sla_met,
           count(*) filter (where c.sla_due_at is not null and coalesce(c.closed_at, now()) > c.sla_due_at)::int as sla_breached
    from c left join municipalities m on m.code = c.municipality_code
    group by grouping sets ((c.municipality_code, m.name_short), ())
    order by c.municipality_code nulls last
  `.execute(db);
  return result.rows.map((r) => {
    const decided = r.sla_met + r.sla_breached;
    return { ...r, sla_compliance_percent: decided === 0 ? null : Math.round((1000 * r.sla_met) / decided) / 10 };
  });
}

/** What the agreement form chooses from: organisations that can provide, municipalities, services and groups. */
export async function agreementOptions(db: Kysely<Database>) {
  const [organisations, municipalities, groups, services] = await Promise.all([
    db.selectFrom('organisations').select(['id', 'kind', 'name_sv', 'name_en', 'municipality_code']).where('kind', '!=', 'contractor').orderBy('name_sv').execute(),
    db.selectFrom('municipalities').select(['code', 'name_short as name']).orderBy('name_short').execute(),
    db.selectFrom('service_groups').select(['code', 'name_sv', 'name_en']).orderBy('sort_order').execute(),
    db.selectFrom('services').select(['service_code as code', 'group_code', 'name_sv', 'name_en']).where('active', '=', true).orderBy('sort_order').execute(),
  ]);
  return { organisations, municipalities, groups, services };
}
