import { sql, type Kysely, type RawBuilder } from 'kysely';
import type pg from 'pg';
import type { Database } from '../db/types.js';
import type { DatabaseKind } from '../db/connection.js';
import { copyBinary, insertValues, type CopyColumn } from '../perf/copy.js';
import type { PreparedCase } from './prepare.js';
import { CASE_COLUMNS, EVENT_COLUMNS, REPORTER_COLUMNS, RowBuilder } from './rows.js';

/**
 * The foreign keys of cases, reporters and case_events that an imported row fills from its routing decision or
 * service, and the table each points to. When a batch runs with row triggers off (see BulkWriter) these are checked
 * once per batch, with the lock the per-row check takes. Every other foreign key of those tables is left null by
 * the import or points to a row the same batch writes (bulk.test.ts keeps this list complete).
 */
export const CHECKED_REFERENCES: readonly { table: string; key: string; values: (c: PreparedCase) => number | string | null }[] = [
  { table: 'organisations', key: 'id', values: (c: PreparedCase) => c.decision.provider_organisation_id },
  { table: 'units', key: 'id', values: (c: PreparedCase) => c.decision.unit_id },
  { table: 'municipalities', key: 'code', values: (c: PreparedCase) => c.municipality_code },
  { table: 'services', key: 'id', values: (c: PreparedCase) => c.service.id },
  { table: 'responsibilities', key: 'id', values: (c: PreparedCase) => c.decision.responsibility_id },
];

/** Runs SQL built with Kysely on one client: the batch's session, where its transaction lives. */
async function run<R>(client: pg.ClientBase | pg.Pool, db: Kysely<Database>, query: RawBuilder<R>): Promise<R[]> {
  const compiled = query.compile(db);
  return (await client.query(compiled.sql, compiled.parameters as unknown[])).rows as R[];
}

/**
 * Writes prepared cases in batches, each in one transaction on a connection of its own, with a handful of
 * set-based statements: source ids already stored (or repeated in the batch) are dropped, case numbers are reserved
 * per (prefix, year) in one counter update, ids are drawn from the sequences up front, and reporters, cases and
 * events are streamed in with binary COPY on a PostgreSQL server (multi-row INSERTs on PGlite).
 *
 * Where the connection may set `session_replication_role` (a superuser, or `GRANT SET ON PARAMETER`), a batch sets
 * it to `replica` for its own transaction: the per-row foreign-key triggers, which cost more than everything else
 * together, are replaced by one check per referenced table with the same KEY SHARE locks (CHECKED_REFERENCES).
 * The statistics triggers fire anyway (ENABLE ALWAYS, migration 0810); no other session is affected. Without that
 * right the triggers check every row as usual, only slower.
 */
export class BulkWriter {
  private rowTriggersOff: boolean | undefined;
  /** Whether cases of this source existed before the import began; if not, only this import's own could. */
  private sourceKnown: boolean | undefined;
  private rows: RowBuilder;
  private sequences = new Map<string, number>();

  constructor(
    private readonly deps: { db: Kysely<Database>; pool: pg.Pool; dbKind: DatabaseKind },
    private readonly source: string,
    private readonly prefix: string,
  ) {
    this.rows = new RowBuilder(source);
  }

  /** Writes one batch in one transaction; returns how many cases were written (the rest were already there). */
  async write(batch: readonly PreparedCase[]): Promise<number> {
    if (batch.length === 0) return 0;
    const client = await this.deps.pool.connect();
    let broken: Error | undefined;
    try {
      this.rowTriggersOff ??= (await client.query(`select has_parameter_privilege('session_replication_role', 'SET') as allowed`)).rows[0].allowed === true;
      await client.query('begin');
      try {
        const written = await this.writeIn(client, batch);
        await client.query('commit');
        return written;
      } catch (error) {
        await client.query('rollback').catch((e: Error) => (broken = e));
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  private async writeIn(client: pg.ClientBase, batch: readonly PreparedCase[]): Promise<number> {
    if (this.rowTriggersOff) await client.query(`set local session_replication_role = replica`);
    const cases = await this.newCases(client, batch);
    if (cases.length === 0) return 0;
    if (this.rowTriggersOff) await this.checkReferences(client, cases);
    const publicIds = await this.reserveNumbers(client, cases);
    const ids = await this.nextIds(client, 'cases', cases.length);
    const reporterIds: (number | null)[] = cases.map(() => null);
    const withReporter = cases.flatMap((c, i) => (c.reporter ? [i] : []));
    if (withReporter.length) {
      const rids = await this.nextIds(client, 'reporters', withReporter.length);
      withReporter.forEach((i, k) => (reporterIds[i] = rids[k]));
      await this.store(client, 'reporters', REPORTER_COLUMNS, withReporter.map((i) => this.rows.reporterRow(cases[i], reporterIds[i]!)));
    }
    const tokens = this.rows.followTokens(cases.length);
    const rows = this.rows;
    const events: unknown[][][] = [];
    // Newest first: most time-ordered indexes of cases are descending (queues and lists show the newest first), and
    // an index filled in its own order splits fewer pages. Rows are made while the server stores the previous ones.
    await this.store(client, 'cases', CASE_COLUMNS, (function* () {
      for (let i = cases.length - 1; i >= 0; i--) {
        const [kase, caseEvents] = rows.caseAndEvents(cases[i], ids[i], publicIds[i], reporterIds[i], tokens[i]);
        events.push(caseEvents);
        yield kase;
      }
    })());
    await this.store(client, 'case_events', EVENT_COLUMNS, events.reverse().flat());
    return cases.length;
  }

  private store(client: pg.ClientBase, table: string, columns: readonly CopyColumn[], rows: Iterable<readonly unknown[]>): Promise<void> {
    return (this.deps.dbKind === 'postgres' ? copyBinary : insertValues)(client, table, columns, rows);
  }

  /**
   * Whether the source had cases before this import: asked once, before the first batch is written. A source new to
   * the database needs no look-ups, since the import itself never writes one source id twice (importCases skips
   * repeats); a concurrent import of the same source would fail on the unique index, not store twice.
   */
  async init(): Promise<void> {
    const [row] = await run<{ known: boolean }>(this.deps.pool, this.deps.db, sql`
      select exists (select 1 from cases where external_source = ${this.source}) as known`);
    this.sourceKnown = row.known;
  }

  /** The batch without source ids already stored or repeated, in the order the cases came in. */
  private async newCases(client: pg.ClientBase, batch: readonly PreparedCase[]): Promise<PreparedCase[]> {
    const ids = batch.map((c) => c.external_id);
    // One probe of the unique index per id (a lateral lookup with LIMIT cannot become a join), whatever the planner
    // believes about how many cases the source already has.
    const stored = this.sourceKnown === false ? [] : await run<{ external_id: string }>(client, this.deps.db, sql`
      select u.external_id from unnest(${ids}::text[]) as u(external_id)
      cross join lateral (select 1 from cases c where c.external_source = ${this.source} and c.external_id = u.external_id limit 1) as found`);
    const seen = new Set(stored.map((r) => r.external_id));
    const cases = batch.filter((c) => !seen.has(c.external_id) && seen.add(c.external_id));
    cases.sort((a, b) => a.requested_at.getTime() - b.requested_at.getTime() || a.line - b.line);
    return cases;
  }

  /** Fails the batch if a referenced row is missing, and KEY SHARE-locks the others until commit as the triggers would. */
  private async checkReferences(client: pg.ClientBase, cases: readonly PreparedCase[]): Promise<void> {
    const wanted = CHECKED_REFERENCES.map((ref) => ({ ...ref, distinct: [...new Set(cases.map(ref.values).filter((v) => v !== null))] }));
    const found = await run<{ i: number; found: number }>(client, this.deps.db, sql.join(wanted.map(({ table, key, distinct }, i) => sql`
      select ${i}::int as i, count(*)::int as found from (select 1 from ${sql.table(table)} t where t.${sql.ref(key)} = any(${distinct}) for key share of t) l`), sql` union all `));
    const counts = new Map(found.map((r) => [r.i, r.found]));
    const missing = wanted.filter((w, i) => counts.get(i) !== w.distinct.length).map((w) => w.table);
    if (missing.length) throw new Error(`a referenced row no longer exists (${missing.join(', ')}); nothing of this batch was stored`);
  }

  /** Takes the numbers of each (prefix, year) series in one counter update and names the cases in arrival order. */
  private async reserveNumbers(client: pg.ClientBase, cases: readonly PreparedCase[]): Promise<string[]> {
    const counts = new Map<number, number>();
    for (const c of cases) counts.set(c.year, (counts.get(c.year) ?? 0) + 1);
    const last = await run<{ year: number; last_number: number }>(client, this.deps.db, sql`
      insert into case_number_counters (prefix, year, last_number)
      select ${this.prefix}, year, n from unnest(${[...counts.keys()]}::int[], ${[...counts.values()]}::int[]) as t(year, n)
      on conflict (prefix, year) do update set last_number = case_number_counters.last_number + excluded.last_number
      returning year, last_number`);
    const next = new Map(last.map((r) => [r.year, r.last_number - counts.get(r.year)! + 1]));
    return cases.map((c) => {
      const n = next.get(c.year)!;
      next.set(c.year, n + 1);
      return `${this.prefix}-${c.year}-${String(n).padStart(5, '0')}`;
    });
  }

  /** Draws n ids from the table's identity sequence (named by its oid: a name would be looked up for every row). */
  private async nextIds(client: pg.ClientBase, table: 'cases' | 'reporters', n: number): Promise<number[]> {
    let oid = this.sequences.get(table);
    if (oid === undefined) {
      const [row] = await run<{ oid: number }>(client, this.deps.db, sql`select pg_get_serial_sequence(${table}, 'id')::regclass::oid as oid`);
      this.sequences.set(table, (oid = Number(row.oid)));
    }
    // As one text value: parsing one row is much cheaper than parsing tens of thousands.
    const [{ ids }] = await run<{ ids: string }>(client, this.deps.db, sql`
      select string_agg(nextval(${oid}::oid::regclass)::text, ',') as ids from generate_series(1, ${n})`);
    return ids.split(',').map(Number);
  }
}
