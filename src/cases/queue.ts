import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/types.js';
import { badInput } from '../shared/errors.js';
import { slaState } from './sla.js';
import { scopeSql, type StaffActor } from './scope.js';
import { CLOSED_STATUSES, OPEN_STATUSES } from './states.js';
import { countsFromTable, openSlaCounts, statusCounts, totalOfStates } from './counts.js';
import type { QueueFiltersT, QueueItemT, QueueQueryT } from './schema.js';

type Sort = NonNullable<QueueQueryT['sort']>;

/** Share of the SLA time after which an open case counts as at risk (as slaState). */
const AT_RISK = 0.75;

// Each sort is a list of keys compared as one row value, all in the same direction, ending with the id, so
// that keyset pagination is exact. Values travel in the cursor as PostgreSQL text and are cast back.
const SORTS: Record<Sort, { keys: { expr: RawBuilder<unknown>; cast: string }[]; dir: 'asc' | 'desc' }> = {
  requested_desc: { keys: [{ expr: sql`cases.requested_at`, cast: 'timestamptz' }], dir: 'desc' },
  requested_asc: { keys: [{ expr: sql`cases.requested_at`, cast: 'timestamptz' }], dir: 'asc' },
  updated_desc: { keys: [{ expr: sql`cases.updated_at`, cast: 'timestamptz' }], dir: 'desc' },
  due_asc: { keys: [{ expr: sql`coalesce(cases.sla_due_at, 'infinity'::timestamptz)`, cast: 'timestamptz' }], dir: 'asc' },
  priority: { keys: [{ expr: sql`cases.priority`, cast: 'int4' }, { expr: sql`coalesce(cases.sla_due_at, 'infinity'::timestamptz)`, cast: 'timestamptz' }], dir: 'asc' },
};

/** The SLA state of a case known to be open, as SQL without closed_at: counts over cases_org_due stay index-only. */
function openSlaCondition(kind: 'ok' | 'at_risk' | 'breached', now: Date): RawBuilder<SqlBool> {
  const threshold = sql`cases.requested_at + (cases.sla_due_at - cases.requested_at) * ${AT_RISK}`;
  switch (kind) {
    case 'breached': return sql<SqlBool>`cases.sla_due_at < ${now}`;
    case 'at_risk': return sql<SqlBool>`cases.sla_due_at >= ${now} and ${now} >= ${threshold}`;
    case 'ok': return sql<SqlBool>`cases.sla_due_at is not null and ${now} < ${threshold}`;
  }
}

function slaCondition(kind: NonNullable<QueueFiltersT['sla']>, now: Date): RawBuilder<SqlBool> {
  if (kind === 'none') return sql<SqlBool>`cases.sla_due_at is null`;
  return sql<SqlBool>`cases.closed_at is null and ${openSlaCondition(kind, now)}`;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Every queue filter as SQL, always within the staff member's scope. */
function filteredCases(db: Kysely<Database>, staff: StaffActor, f: QueueFiltersT, now: Date, opts: { withStatus: boolean; withSla: boolean }) {
  let q = db.selectFrom('cases').innerJoin('services', 'services.id', 'cases.service_id').where(scopeSql(staff));
  if (opts.withStatus && f.status?.length) q = q.where('cases.status', 'in', f.status);
  if (opts.withStatus && f.open !== undefined) q = q.where('cases.status', 'in', f.open ? OPEN_STATUSES : CLOSED_STATUSES);
  if (f.service?.length) q = q.where('services.service_code', 'in', f.service);
  if (f.municipality?.length) q = q.where('cases.municipality_code', 'in', f.municipality);
  if (f.unit_id !== undefined) q = q.where('cases.unit_id', '=', f.unit_id);
  if (f.priority?.length) q = q.where('cases.priority', 'in', f.priority);
  if (f.channel?.length) q = q.where('cases.channel', 'in', f.channel);
  if (opts.withSla && f.sla) q = q.where(slaCondition(f.sla, now));
  if (f.assignee === 'none') q = q.where('cases.assignee_user_id', 'is', null);
  else if (f.assignee) q = q.where('cases.assignee_user_id', '=', f.assignee === 'me' ? staff.userId : Number(f.assignee));
  if (f.contractor === 'none') q = q.where('cases.contractor_organisation_id', 'is', null);
  else if (f.contractor === 'any') q = q.where('cases.contractor_organisation_id', 'is not', null);
  else if (f.contractor) q = q.where('cases.contractor_organisation_id', '=', Number(f.contractor));
  const text = f.q?.trim();
  if (text) {
    const like = `%${escapeLike(text)}%`;
    q = q.where((eb) => eb.or([eb('cases.public_id', 'ilike', like), eb('cases.description', 'ilike', like), eb('cases.address', 'ilike', like)]));
  }
  return q;
}

function decodeCursor(cursor: string, expected: number): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === expected && values.every((v) => typeof v === 'string')) return values as string[];
  } catch { /* reported below */ }
  throw badInput('cursor', 'is not a cursor this queue gave out', 'är ingen giltig sidmarkör');
}

export interface QueuePage {
  items: QueueItemT[];
  next_cursor: string | null;
  total: number;
  counts: { by_status: Record<string, number>; at_risk: number; breached: number };
}

/** One page of the staff queue (keyset on the sort keys and the id) with the total and the counts per state. */
export async function queuePage(db: Kysely<Database>, staff: StaffActor, query: QueueQueryT, now = new Date()): Promise<QueuePage> {
  const sort = SORTS[query.sort ?? 'requested_desc'];
  const limit = query.limit ?? 50;
  const keyExprs = [...sort.keys.map((k) => k.expr), sql`cases.id`];
  let q = filteredCases(db, staff, query, now, { withStatus: true, withSla: true })
    .leftJoin('users as assignee', 'assignee.id', 'cases.assignee_user_id')
    .leftJoin('organisations as contractor', 'contractor.id', 'cases.contractor_organisation_id')
    .leftJoin('assets', 'assets.id', 'cases.asset_id')
    .select(['cases.id', 'cases.public_id', 'cases.version', 'cases.organisation_id', 'cases.status', 'cases.priority', 'cases.channel',
      'services.service_code', 'services.name_sv as service_name_sv', 'services.name_en as service_name_en', 'cases.title',
      'cases.description', 'cases.address', 'cases.municipality_code', 'cases.lat', 'cases.lon', 'cases.requested_at', 'cases.updated_at',
      'cases.sla_due_at', 'cases.closed_at', 'cases.unit_id', 'cases.assignee_user_id', 'assignee.display_name as assignee_name',
      'cases.contractor_organisation_id', 'contractor.name_sv as contractor_name', 'assets.code as asset_code'])
    .select(sort.keys.map((k, i) => sql<string>`(${k.expr})::text`.as(`k${i}`)));
  if (query.cursor) {
    const values = decodeCursor(query.cursor, sort.keys.length + 1);
    const casts = [...sort.keys.map((k) => k.cast), 'int8'];
    const right = sql.join(values.map((v, i) => sql`cast(${v} as ${sql.raw(casts[i])})`));
    q = q.where(sql<SqlBool>`(${sql.join(keyExprs)}) ${sql.raw(sort.dir === 'asc' ? '>' : '<')} (${right})`);
  }
  for (const e of keyExprs) q = q.orderBy(e, sort.dir);
  const rows = await q.limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1] as (typeof page)[number] & Record<string, string>;
  const nextCursor = rows.length > limit && last
    ? Buffer.from(JSON.stringify([...sort.keys.map((_k, i) => last[`k${i}`]), String(last.id)])).toString('base64url')
    : null;

  const { counts, total } = await queueCounts(db, staff, query, now);
  return {
    items: page.map((r) => ({
      id: r.id, public_id: r.public_id, version: r.version, organisation_id: r.organisation_id, status: r.status, priority: r.priority,
      channel: r.channel, service_code: r.service_code, service_name_sv: r.service_name_sv, service_name_en: r.service_name_en,
      title: r.title, description: r.description.length > 240 ? `${r.description.slice(0, 239)}…` : r.description,
      address: r.address, municipality_code: r.municipality_code, lat: r.lat, lon: r.lon,
      requested_at: r.requested_at.toISOString(), updated_at: r.updated_at.toISOString(), sla_due_at: r.sla_due_at?.toISOString() ?? null,
      sla_state: slaState(r.requested_at, r.sla_due_at, r.closed_at, now), unit_id: r.unit_id,
      assignee: r.assignee_user_id !== null ? { id: r.assignee_user_id, name: r.assignee_name ?? '' } : null,
      contractor: r.contractor_organisation_id !== null ? { id: r.contractor_organisation_id, name: r.contractor_name ?? '' } : null,
      asset_code: r.asset_code,
    })),
    next_cursor: nextCursor,
    total,
    counts,
  };
}

/**
 * The counts per state (every filter but the state ones), at risk and breached, and the total with every
 * filter. Without other filters they come from case_status_counts and the open-case index (counts.ts);
 * otherwise from the filtered cases.
 */
async function queueCounts(db: Kysely<Database>, staff: StaffActor, query: QueueQueryT, now: Date): Promise<Pick<QueuePage, 'counts' | 'total'>> {
  if (countsFromTable(staff, query)) {
    const [byStatus, sla] = await Promise.all([
      statusCounts(db, staff.organisationId),
      openSlaCounts(db, staff.organisationId, openSlaCondition('at_risk', now), openSlaCondition('breached', now)),
    ]);
    const total = query.sla ? await countCases(db, staff, query, now) : totalOfStates(byStatus, query);
    return { counts: { by_status: byStatus, ...sla }, total };
  }
  const countRows = await filteredCases(db, staff, query, now, { withStatus: false, withSla: false })
    .select(['cases.status', sql<string>`count(*)`.as('n'),
      sql<string>`count(*) filter (where ${slaCondition('at_risk', now)})`.as('at_risk'),
      sql<string>`count(*) filter (where ${slaCondition('breached', now)})`.as('breached')])
    .groupBy('cases.status').orderBy('cases.status').execute();
  const byStatus: Record<string, number> = {};
  let atRisk = 0;
  let breached = 0;
  for (const r of countRows) {
    byStatus[r.status] = Number(r.n);
    atRisk += Number(r.at_risk);
    breached += Number(r.breached);
  }
  return { counts: { by_status: byStatus, at_risk: atRisk, breached }, total: await countCases(db, staff, query, now) };
}

/** The cases that pass every filter. */
async function countCases(db: Kysely<Database>, staff: StaffActor, query: QueueQueryT, now: Date): Promise<number> {
  const row = await filteredCases(db, staff, query, now, { withStatus: true, withSla: true }).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The filtered cases as points for the map beside the queue (at most `max`). */
export async function queuePoints(db: Kysely<Database>, staff: StaffActor, f: QueueFiltersT, max = 2000, now = new Date()) {
  const rows = await filteredCases(db, staff, f, now, { withStatus: true, withSla: true })
    .select(['cases.id', 'cases.public_id', 'cases.status', 'cases.priority', 'services.service_code', 'cases.lat', 'cases.lon'])
    .where('cases.lat', 'is not', null)
    .orderBy('cases.requested_at', 'desc')
    .limit(max + 1)
    .execute();
  return { points: rows.slice(0, max).map((r) => ({ ...r, lat: r.lat!, lon: r.lon! })), truncated: rows.length > max };
}
