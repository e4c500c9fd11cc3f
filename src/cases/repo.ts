import { sql, type Kysely } from 'kysely';
import type { Case, CaseEvent, Database, NewCase, ReportersTable, Visibility, CaseStatus } from '../db/types.js';
import type { StoredImage } from '../attachments/store.js';
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

/**
 * Takes `count` numbers in each series at once; returns the last number taken per "prefix\nyear". Series are
 * locked in one order, so two callers never wait on each other crosswise.
 */
export async function nextCaseNumbers(db: Kysely<Database>, series: { prefix: string; year: number; count: number }[]): Promise<Map<string, number>> {
  const ordered = [...series].sort((a, b) => (a.prefix === b.prefix ? a.year - b.year : a.prefix < b.prefix ? -1 : 1));
  const rows = await db
    .insertInto('case_number_counters')
    .values(ordered.map((s) => ({ prefix: s.prefix, year: s.year, last_number: s.count })))
    .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet({ last_number: sql`case_number_counters.last_number + excluded.last_number` }))
    .returning(['prefix', 'year', 'last_number'])
    .execute();
  return new Map(rows.map((r) => [`${r.prefix}\n${r.year}`, r.last_number]));
}

/** A reporter as an intake writes it: every column given. */
export type NewReporter = Pick<ReportersTable, 'organisation_id' | 'name' | 'email' | 'phone' | 'device_id' | 'account_id'> & { locale: string };

/**
 * Inserts cases, each with its reporter when given, in one statement; returns them in the order given. The
 * reporters' ids are drawn from their sequence first, so each case names its own reporter whatever order the
 * rows are written in.
 */
export async function insertCases(trx: Kysely<Database>, rows: { values: Omit<NewCase, 'reporter_id'>; reporter: NewReporter | null }[]): Promise<Case[]> {
  const withReporter = rows.map((r, n) => ({ ...r, n })).filter((r) => r.reporter !== null);
  const reporterId = (n: number) => sql<number>`(select id from reporter_ids where n = ${n}::int)`;
  const values = rows.map((r, n) => ({ ...r.values, reporter_id: r.reporter ? reporterId(n) : null }));
  const insert = withReporter.length === 0
    ? trx.insertInto('cases').values(values)
    : trx
      .with('reporter_ids', () => sql<{ n: number; id: number }>`(select n, nextval(pg_get_serial_sequence('reporters', 'id')) as id from unnest(${withReporter.map((r) => r.n)}::int[]) as n)`)
      // Kysely leaves a raw CTE body as written: the parentheses are ours.
      .with('reporters_written', () => sql`(
        insert into reporters (id, organisation_id, name, email, phone, device_id, account_id, locale) overriding system value
        select ids.id, v.organisation_id, v.name, v.email, v.phone, v.device_id, v.account_id, v.locale
        from (values ${sql.join(withReporter.map(({ n, reporter: p }) => sql`(${n}::int, ${p!.organisation_id}::int, ${p!.name}::text, ${p!.email}::text,
          ${p!.phone}::text, ${p!.device_id}::text, ${p!.account_id}::text, ${p!.locale}::text)`))})
          as v(n, organisation_id, name, email, phone, device_id, account_id, locale)
        join reporter_ids ids on ids.n = v.n)`)
      .insertInto('cases').values(values);
  const inserted = await insert.returningAll().execute();
  const byPublicId = new Map(inserted.map((c) => [c.public_id, c]));
  return rows.map((r) => byPublicId.get(r.values.public_id)!);
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

/** Photos that came with new cases, each linked to its case's "created" event (one statement for a group). */
export async function insertIntakePhotos(trx: Kysely<Database>, rows: { kase: Case; eventId: number; photo: StoredImage }[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('attachments').values(rows.map(({ kase, eventId, photo }) => ({
    case_id: kase.id, organisation_id: kase.organisation_id, event_id: eventId, storage_key: photo.storage_key,
    content_type: photo.content_type, bytes: photo.bytes, width: photo.width, height: photo.height, visibility: 'public' as const,
  }))).execute();
}
