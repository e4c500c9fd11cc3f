import { sql, type Kysely } from 'kysely';
import type { Database, StatsMonthlyTable } from '../db/types.js';

/** Groups recomputed per refresh transaction: small enough to keep locks short. */
const GROUPS_PER_TRANSACTION = 500;

// Bucket 0 holds times under one minute; bucket b ≥ 1 holds [2^((b-1)/8), 2^(b/8)) minutes, an eighth of an
// octave (≈ 9 % wide), so a percentile read back from the histogram is within a few per cent of the exact one.
const BUCKET_SQL = sql`case when extract(epoch from (c.closed_at - c.requested_at)) < 60 then 0
  else least(32000, floor(8 * ln(extract(epoch from (c.closed_at - c.requested_at)) / 60) / ln(2))::int + 1) end`;

/**
 * Recomputes the statistics of every (municipality, month) group marked dirty by the triggers on cases,
 * in transactions of a few hundred groups. Returns the number of groups recomputed.
 */
export async function refreshDirtyGroups(db: Kysely<Database>): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const dirty = await sql<{ municipality_code: string; month: string }>`
        delete from stats_dirty where (municipality_code, month) in (
          select municipality_code, month from stats_dirty order by 1, 2 limit ${GROUPS_PER_TRANSACTION} for update skip locked)
        returning municipality_code, month`.execute(trx);
      if (dirty.rows.length === 0) return 0;
      const codes = dirty.rows.map((r) => r.municipality_code);
      const months = dirty.rows.map((r) => r.month);
      const groups = sql`unnest(${codes}::text[], ${months}::date[]) as d(code, month)`;
      const inGroup = sql`c.municipality_code = d.code
        and c.requested_at >= (d.month::timestamp at time zone 'Europe/Stockholm')
        and c.requested_at < ((d.month + interval '1 month')::timestamp at time zone 'Europe/Stockholm')`;
      await sql`delete from stats_monthly s using ${groups} where s.municipality_code = d.code and s.month = d.month`.execute(trx);
      await sql`delete from stats_close_hist s using ${groups} where s.municipality_code = d.code and s.month = d.month`.execute(trx);
      await sql`
        insert into stats_monthly (municipality_code, month, service_id, channel, cases, closed, sla_due, sla_met, first_contact, reopened)
        select c.municipality_code, d.month, c.service_id, c.channel, count(*), count(c.closed_at),
               count(*) filter (where c.closed_at is not null and c.sla_due_at is not null),
               count(*) filter (where c.closed_at <= c.sla_due_at),
               count(*) filter (where c.resolved_at_first_contact),
               count(*) filter (where c.reopen_count > 0)
        from ${groups} join cases c on ${inGroup}
        group by 1, 2, 3, 4`.execute(trx);
      await sql`
        insert into stats_close_hist (municipality_code, month, service_id, bucket, n)
        select c.municipality_code, d.month, c.service_id, ${BUCKET_SQL}, count(*)
        from ${groups} join cases c on ${inGroup} and c.closed_at is not null
        group by 1, 2, 3, 4`.execute(trx);
      return dirty.rows.length;
    });
    total += done;
    if (done < GROUPS_PER_TRANSACTION) return total;
  }
}

/** True when some group waits for a refresh. */
export async function hasDirtyGroups(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('stats_dirty').select('month').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Which slice of the pre-aggregates to read. */
export interface StatsFilter {
  municipalityCodes: string[];
  fromMonth?: string | null;
  toMonth?: string | null;
  serviceIds?: number[] | null;
}

/** One row of the grouped sums; `grouping` says which breakdown it belongs to. */
export type SumRow = Pick<StatsMonthlyTable, 'municipality_code' | 'cases' | 'closed' | 'sla_due' | 'sla_met' | 'first_contact' | 'reopened'> & {
  grouping: 'total' | 'service' | 'channel' | 'month';
  service_id: number | null;
  channel: string | null;
  month: string | null;
};

function filterSql(f: StatsFilter) {
  return sql`s.municipality_code = any(${f.municipalityCodes}::text[])
    ${f.fromMonth ? sql`and s.month >= ${f.fromMonth}::date` : sql``}
    ${f.toMonth ? sql`and s.month <= ${f.toMonth}::date` : sql``}
    ${f.serviceIds?.length ? sql`and s.service_id = any(${f.serviceIds}::int[])` : sql``}`;
}

/** Totals per municipality, and (unless `totalsOnly`, as for the map) by service, by channel and by month, in one pass. */
export async function readSums(db: Kysely<Database>, f: StatsFilter, totalsOnly = false): Promise<SumRow[]> {
  const sums = sql`sum(s.cases)::int as cases, sum(s.closed)::int as closed, sum(s.sla_due)::int as sla_due,
           sum(s.sla_met)::int as sla_met, sum(s.first_contact)::int as first_contact, sum(s.reopened)::int as reopened`;
  const result = totalsOnly
    ? await sql<SumRow>`
      select 'total' as grouping, s.municipality_code, null::int as service_id, null::text as channel, null::date as month, ${sums}
      from stats_monthly s where ${filterSql(f)} group by s.municipality_code`.execute(db)
    : await sql<SumRow>`
      select case when grouping(s.service_id) = 0 then 'service' when grouping(s.channel) = 0 then 'channel'
                  when grouping(s.month) = 0 then 'month' else 'total' end as grouping,
             s.municipality_code, s.service_id, s.channel, s.month, ${sums}
      from stats_monthly s
      where ${filterSql(f)}
      group by grouping sets ((s.municipality_code), (s.municipality_code, s.service_id), (s.municipality_code, s.channel), (s.municipality_code, s.month))`.execute(db);
  return result.rows;
}

/** The merged close-time histogram of each municipality. */
export async function readHistograms(db: Kysely<Database>, f: StatsFilter): Promise<{ municipality_code: string; bucket: number; n: number }[]> {
  const result = await sql<{ municipality_code: string; bucket: number; n: number }>`
    select s.municipality_code, s.bucket, sum(s.n)::int as n
    from stats_close_hist s
    where ${filterSql(f)}
    group by 1, 2 order by 1, 2`.execute(db);
  return result.rows;
}

/** Municipalities with their county and 2016 population. */
export async function readMunicipalities(db: Kysely<Database>, codes?: string[]) {
  let q = db.selectFrom('municipalities').select(['code', 'name', 'county_code', 'population_2016']).orderBy('code');
  if (codes) q = q.where('code', 'in', codes.length ? codes : ['']);
  return q.execute();
}

/** Municipality codes of a county. */
export async function municipalitiesOfCounty(db: Kysely<Database>, county: string): Promise<string[]> {
  const rows = await db.selectFrom('municipalities').select('code').where('county_code', '=', county).orderBy('code').execute();
  return rows.map((r) => r.code);
}

/** Municipalities covered by an agreement (responsibilities of kind agreement with this reference). */
export async function municipalitiesOfAgreement(db: Kysely<Database>, reference: string): Promise<string[]> {
  const rows = await db
    .selectFrom('responsibilities as r')
    .innerJoin('responsibility_areas as ra', 'ra.responsibility_id', 'r.id')
    .innerJoin('areas as a', 'a.id', 'ra.area_id')
    .select('a.municipality_code')
    .distinct()
    .where('r.kind', '=', 'agreement')
    .where('r.reference', '=', reference)
    .where('a.municipality_code', 'is not', null)
    .orderBy('a.municipality_code')
    .execute();
  return rows.map((r) => r.municipality_code!);
}

/** Every agreement with a reference, with its provider and the municipalities it covers. */
export async function listAgreements(db: Kysely<Database>) {
  const result = await sql<{ reference: string; provider_sv: string; provider_en: string; municipality_codes: string[] }>`
    select r.reference, min(o.name_sv) as provider_sv, min(o.name_en) as provider_en,
           array_agg(distinct a.municipality_code order by a.municipality_code) as municipality_codes
    from responsibilities r
    join organisations o on o.id = r.provider_organisation_id
    join responsibility_areas ra on ra.responsibility_id = r.id
    join areas a on a.id = ra.area_id and a.municipality_code is not null
    where r.kind = 'agreement' and r.reference is not null
    group by r.reference order by r.reference`.execute(db);
  return result.rows;
}

/** The services, for naming categories. */
export async function readServices(db: Kysely<Database>) {
  return db.selectFrom('services').select(['id', 'service_code', 'name_sv', 'name_en']).orderBy('sort_order').orderBy('id').execute();
}
