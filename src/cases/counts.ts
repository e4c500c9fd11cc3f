import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/types.js';
import type { StaffActor } from './scope.js';
import { OPEN311_STATUS } from './states.js';
import { QueueFilters, type QueueFiltersT, type QueueQueryT } from './schema.js';

// The queue's counts per state without reading every case an organisation ever had: case_status_counts
// (migration 0820) holds them as rows to be summed, written by triggers in the same transaction as the cases.

/** How often the delta rows are folded into one row per organisation and state. */
const COMPACT_EVERY_MS = 60_000;
/** Keeps two processes from folding at the same time (7311 audit, 7312 retention). */
const COMPACT_LOCK = 7313;

/** Every queue filter but the state ones (status, open, sla): each narrows the cases beyond case_status_counts. */
const NARROWING_FILTERS = Object.keys(QueueFilters.properties).filter((key) => !['status', 'open', 'sla'].includes(key)) as (keyof QueueFiltersT)[];

/**
 * True when the counts come from case_status_counts: an organisation's own scope (contractors see work
 * orders, counted directly) and no filter but the state ones. Any other filter, including one added to the
 * queue later, falls back to counting the filtered cases.
 */
export function countsFromTable(staff: StaffActor, query: QueueQueryT): boolean {
  if (staff.role === 'contractor') return false;
  return NARROWING_FILTERS.every((key) => {
    const value = query[key];
    return value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'string' && value.trim() === '');
  });
}

/** Cases of an organisation per state (states with none left out). */
export async function statusCounts(db: Kysely<Database>, organisationId: number): Promise<Record<string, number>> {
  const rows = await db.selectFrom('case_status_counts')
    .select(['status', sql<string>`sum(n)`.as('n')])
    .where('organisation_id', '=', organisationId)
    .groupBy('status')
    .having(sql`sum(n)`, '<>', 0)
    .orderBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** At-risk and breached among an organisation's open cases: an index-only scan of cases_org_due. */
export async function openSlaCounts(db: Kysely<Database>, organisationId: number, atRisk: RawBuilder<SqlBool>, breached: RawBuilder<SqlBool>) {
  const row = await db.selectFrom('cases')
    .select([sql<string>`count(*) filter (where ${atRisk})`.as('at_risk'), sql<string>`count(*) filter (where ${breached})`.as('breached')])
    .where('cases.organisation_id', '=', organisationId)
    .where('cases.closed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { at_risk: Number(row.at_risk), breached: Number(row.breached) };
}

/** The cases counted in `byStatus` that pass the state filters `status` and `open`. */
export function totalOfStates(byStatus: Record<string, number>, query: QueueQueryT): number {
  let total = 0;
  for (const [status, n] of Object.entries(byStatus)) {
    if (query.status?.length && !(query.status as string[]).includes(status)) continue;
    if (query.open !== undefined && (OPEN311_STATUS[status as keyof typeof OPEN311_STATUS] === 'open') !== query.open) continue;
    total += n;
  }
  return total;
}

/**
 * Folds each organisation's and state's rows into one. A delete and an insert in one statement: readers
 * see the rows before or after, never a half, and delta rows that writers add meanwhile are not seen by
 * the delete, so they stay.
 */
export async function compactCaseCounts(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${COMPACT_LOCK})`.execute(trx);
    await sql`
      with folded as (
        delete from case_status_counts
        where (organisation_id, status) in (select organisation_id, status from case_status_counts group by organisation_id, status having count(*) > 1)
        returning organisation_id, status, n)
      insert into case_status_counts (organisation_id, status, n)
        select organisation_id, status, sum(n) from folded group by organisation_id, status having sum(n) <> 0`.execute(trx);
  });
}

/** Folds the counts every minute while the server runs (not in tests, which call compactCaseCounts). */
export function scheduleCountCompaction(app: FastifyInstance): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    if (process.env.NODE_ENV === 'test') return;
    timer = setInterval(() => {
      running = compactCaseCounts(app.ctx.db).catch((err) => app.log.error({ err }, 'case count compaction failed'));
    }, COMPACT_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
