import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { casePrefixOf } from '../cases/repo.js';
import type { PreparedCase } from './prepare.js';

const yearFormat = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', year: 'numeric' });

async function allocateIds(trx: Kysely<Database>, table: 'cases' | 'reporters', n: number): Promise<number[]> {
  const result = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id'))::bigint as id from generate_series(1, ${n})`.execute(trx);
  return result.rows.map((r) => Number(r.id));
}

/** Takes `n` consecutive numbers of a prefix's yearly series at once; returns the first. */
async function reserveNumbers(trx: Kysely<Database>, prefix: string, year: number, n: number): Promise<number> {
  const result = await sql<{ last_number: number }>`
    insert into case_number_counters (prefix, year, last_number) values (${prefix}, ${year}, ${n})
    on conflict (prefix, year) do update set last_number = case_number_counters.last_number + excluded.last_number
    returning last_number`.execute(trx);
  return result.rows[0].last_number - n + 1;
}

/** Source ids of this source that are already stored, among the given ones. */
export async function existingExternalIds(db: Kysely<Database>, source: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('cases').select('external_id').where('external_source', '=', source).where('external_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.external_id!));
}

/**
 * Writes a batch of prepared cases in one transaction with a handful of set-based statements: case numbers are
 * reserved per (prefix, year) in one counter update, ids are drawn from the sequences up front so that cases,
 * reporters and events are inserted with `unnest` arrays rather than row by row. Each case gets a "created" event
 * (its body the routing explanation, which is also stored on the case) and, unless still submitted, one event
 * for its historical state; the source file is the as-received record, so only its name and line are kept.
 * Returns how many were written
 * (cases already present under the same source id are skipped).
 */
export async function writeBatch(db: Kysely<Database>, source: string, batch: PreparedCase[], prefixCache: Map<string, string>): Promise<number> {
  if (batch.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const present = await existingExternalIds(trx, source, batch.map((c) => c.external_id));
    const seen = new Set<string>();
    const cases = batch.filter((c) => !present.has(c.external_id) && !seen.has(c.external_id) && seen.add(c.external_id));
    if (cases.length === 0) return 0;
    cases.sort((a, b) => a.requested_at.getTime() - b.requested_at.getTime());

    const publicIds: string[] = [];
    const groups = new Map<string, number[]>();
    for (const [i, c] of cases.entries()) {
      let prefix = prefixCache.get(c.municipality_code);
      if (!prefix) {
        prefix = await casePrefixOf(trx, c.municipality_code);
        prefixCache.set(c.municipality_code, prefix);
      }
      const key = `${prefix}|${yearFormat.format(c.requested_at)}`;
      groups.set(key, [...(groups.get(key) ?? []), i]);
    }
    for (const [key, indexes] of groups) {
      const [prefix, year] = key.split('|');
      const first = await reserveNumbers(trx, prefix, Number(year), indexes.length);
      indexes.forEach((idx, k) => (publicIds[idx] = `${prefix}-${year}-${String(first + k).padStart(5, '0')}`));
    }

    const ids = await allocateIds(trx, 'cases', cases.length);
    const withReporter = cases.map((c, i) => [c, i] as const).filter(([c]) => c.reporter);
    const reporterIds: (number | null)[] = cases.map(() => null);
    if (withReporter.length) {
      const rids = await allocateIds(trx, 'reporters', withReporter.length);
      withReporter.forEach(([, i], k) => (reporterIds[i] = rids[k]));
      await sql`
        insert into reporters (id, organisation_id, name, email, phone)
        overriding system value
        select * from unnest(${rids}::bigint[], ${withReporter.map(([c]) => c.decision.provider_organisation_id)}::int[],
          ${withReporter.map(([c]) => c.reporter!.name)}::text[], ${withReporter.map(([c]) => c.reporter!.email)}::text[],
          ${withReporter.map(([c]) => c.reporter!.phone)}::text[])`.execute(trx);
    }

    const col = <T>(fn: (c: PreparedCase, i: number) => T) => cases.map(fn);
    await sql`
      insert into cases (id, public_id, organisation_id, unit_id, municipality_code, service_id, status, priority, channel, title, description,
                         lat, lon, address, postal_code, responsibility_id, routing, reporter_id, sla_due_at, requested_at, updated_at, closed_at,
                         external_source, external_id, follow_token, as_received)
      overriding system value
      select id, public_id, org, unit, muni, service, status, priority, channel, title, description, lat, lon, address, postal, resp,
             routing::jsonb, reporter, sla::timestamptz, requested::timestamptz, updated::timestamptz, closed::timestamptz, ${source}, ext, token, received::jsonb
      from unnest(${ids}::bigint[], ${publicIds}::text[], ${col((c) => c.decision.provider_organisation_id)}::int[], ${col((c) => c.decision.unit_id)}::int[],
                  ${col((c) => c.municipality_code)}::text[], ${col((c) => c.service.id)}::int[], ${col((c) => c.status)}::text[],
                  ${col((c) => c.service.default_priority)}::smallint[], ${col((c) => c.channel)}::text[], ${col((c) => c.title)}::text[],
                  ${col((c) => c.description)}::text[], ${col((c) => c.location.lat)}::float8[], ${col((c) => c.location.lon)}::float8[],
                  ${col((c) => c.location.address)}::text[], ${col((c) => c.location.postal_code)}::text[], ${col((c) => c.decision.responsibility_id)}::int[],
                  ${col((c) => JSON.stringify(c.decision))}::text[], ${reporterIds}::bigint[], ${col((c) => c.sla_due_at?.toISOString() ?? null)}::text[],
                  ${col((c) => c.requested_at.toISOString())}::text[], ${col((c) => c.updated_at.toISOString())}::text[],
                  ${col((c) => c.closed_at?.toISOString() ?? null)}::text[], ${col((c) => c.external_id)}::text[],
                  ${col(() => crypto.randomBytes(18).toString('base64url'))}::text[],
                  ${col((c) => JSON.stringify({ imported_from: { source, line: c.line, external_id: c.external_id } }))}::text[])
        as t(id, public_id, org, unit, muni, service, status, priority, channel, title, description, lat, lon, address, postal, resp, routing, reporter,
             sla, requested, updated, closed, ext, token, received)`.execute(trx);

    const ev = { case_id: [] as number[], org: [] as number[], kind: [] as string[], vis: [] as string[], body: [] as (string | null)[], after: [] as (string | null)[], data: [] as string[], at: [] as string[] };
    const push = (i: number, kind: string, vis: string, body: string | null, after: string | null, data: object, at: Date) => {
      ev.case_id.push(ids[i]); ev.org.push(cases[i].decision.provider_organisation_id); ev.kind.push(kind); ev.vis.push(vis);
      ev.body.push(body); ev.after.push(after); ev.data.push(JSON.stringify(data)); ev.at.push(at.toISOString());
    };
    cases.forEach((c, i) => {
      push(i, 'created', 'public', c.decision.explanation_sv, 'submitted', { channel: c.channel, imported_from: source }, c.requested_at);
      if (c.status !== 'submitted') push(i, 'status_changed', 'public', null, c.status, { before: 'submitted', after: c.status, imported: true }, c.closed_at ?? c.updated_at);
    });
    await sql`
      insert into case_events (case_id, organisation_id, kind, visibility, actor_label, body, status_after, data, created_at)
      select case_id, org, kind, vis, 'import', body, after, data::jsonb, at::timestamptz
      from unnest(${ev.case_id}::bigint[], ${ev.org}::int[], ${ev.kind}::text[], ${ev.vis}::text[], ${ev.body}::text[], ${ev.after}::text[], ${ev.data}::text[], ${ev.at}::text[])
        as t(case_id, org, kind, vis, body, after, data, at)`.execute(trx);
    return cases.length;
  });
}
