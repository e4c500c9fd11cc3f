import { sql, type Kysely } from 'kysely';
import type { Insertable } from 'kysely';
import type { Case, CaseEvent, Database, NewCase, ReportersTable, Visibility, CaseStatus } from '../db/types.js';
import { scopeSql, type CaseScope } from './scope.js';

/** The case-number prefix of a municipality. */
export async function casePrefixOf(db: Kysely<Database>, municipalityCode: string): Promise<string> {
  const row = await db
    .selectFrom('organisations')
    .select('case_prefix')
    .where('kind', '=', 'municipality')
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  return row?.case_prefix ?? `K${municipalityCode}`.replace(/\d/g, 'X').slice(0, 3);
}

/** Takes the next number in a prefix's yearly series; the counter row is locked until the caller's transaction ends. */
export async function nextCaseNumber(db: Kysely<Database>, prefix: string, year: number): Promise<number> {
  const row = await db
    .insertInto('case_number_counters')
    .values({ prefix, year, last_number: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet({ last_number: sql`case_number_counters.last_number + 1` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

/** Inserts a case and, when given, its reporter in one statement (a data-modifying CTE). */
export async function insertCase(trx: Kysely<Database>, values: Omit<NewCase, 'reporter_id'>, reporter: Insertable<ReportersTable> | null): Promise<Case> {
  const insert = reporter
    ? trx.with('r', (q) => q.insertInto('reporters').values(reporter).returning('id'))
      .insertInto('cases').values({ ...values, reporter_id: sql<number>`(select id from r)` })
    : trx.insertInto('cases').values({ ...values, reporter_id: null });
  return insert.returningAll().executeTakeFirstOrThrow();
}

export interface NewEvent {
  case_id: number;
  organisation_id: number;
  kind: string;
  visibility: Visibility;
  actor_user_id?: number | null;
  actor_organisation_id?: number | null;
  actor_label?: string | null;
  body?: string | null;
  status_after?: CaseStatus | null;
  data?: Record<string, unknown>;
  external_update_id?: string | null;
  created_at?: Date;
}

/** Appends an event; events are never updated. */
export async function appendEvent(trx: Kysely<Database>, event: NewEvent): Promise<CaseEvent> {
  return (await appendEvents(trx, [event]))[0];
}

/** Appends several events in one statement, returned in the order given (their ids ascend in that order). */
export async function appendEvents(trx: Kysely<Database>, events: NewEvent[]): Promise<CaseEvent[]> {
  const now = new Date();
  const rows = await trx
    .insertInto('case_events')
    .values(events.map((event) => ({ ...event, data: JSON.stringify(event.data ?? {}), created_at: event.created_at ?? now })))
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

/** Locks a case row for an update in this transaction; with a scope, only a case that scope may see. */
export async function lockCase(trx: Kysely<Database>, caseId: number, scope: CaseScope | null = null): Promise<Case | undefined> {
  let q = trx.selectFrom('cases').selectAll().where('id', '=', caseId);
  if (scope) q = q.where(scopeSql(scope));
  return q.forUpdate().executeTakeFirst();
}

/** Finds a case by its readable number. */
export async function findCaseByPublicId(db: Kysely<Database>, publicId: string): Promise<Case | undefined> {
  return db.selectFrom('cases').selectAll().where('public_id', '=', publicId).executeTakeFirst();
}
