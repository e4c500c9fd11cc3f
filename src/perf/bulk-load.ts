import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../db/types.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { RoutingService } from '../routing/service.js';
import { CASE_COLUMNS, generateCases, type DatasetOptions, type GeneratedCase } from './dataset.js';
import { copyLines, copyValue } from './copy.js';


/** Streams rows into a table with COPY FROM STDIN on a connection of its own. */
async function copyRows(pool: pg.Pool, table: string, columns: readonly string[], rows: Record<string, unknown>[]): Promise<void> {
  const client = await pool.connect();
  try {
    const lines = function* () {
      for (const row of rows) yield columns.map((c) => copyValue(row[c])).join('\t') + '\n';
    };
    await copyLines(client, table, columns, lines());
  } finally {
    client.release();
  }
}

/** Multi-row INSERTs of 1000 rows (PGlite has no COPY FROM STDIN through the pg bridge). */
async function insertRows(db: Kysely<Database>, rows: GeneratedCase[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insertInto('cases').values(rows.slice(i, i + 1000) as never).execute();
  }
}

export interface LoadResult {
  cases: number;
  seconds: number;
  method: 'COPY' | 'multi-row INSERT';
}

/**
 * Generates and stores `count` cases (see dataset.ts) as fast as the database allows: COPY on a
 * PostgreSQL server, 1000-row INSERTs on PGlite. Then moves the case-number counters past the numbers
 * used and runs ANALYZE so the planner sees the new size.
 */
export async function loadDataset(
  handle: DatabaseHandle,
  routing: RoutingService,
  options: DatasetOptions & { onProgress?: (done: number) => void },
): Promise<LoadResult> {
  const started = performance.now();
  const generator = generateCases(handle.db, routing, options, handle.kind === 'postgres' ? 50_000 : 5_000);
  let done = 0;
  let counters: Map<string, number> | undefined;
  // The server stores one batch while this process generates the next.
  let storing: Promise<void> = Promise.resolve();
  for (;;) {
    const next = await generator.next();
    await storing;
    if (next.done) {
      counters = next.value;
      break;
    }
    const rows = next.value;
    storing = (handle.kind === 'postgres' ? copyRows(handle.pool, 'cases', CASE_COLUMNS, rows) : insertRows(handle.db, rows)).then(() => {
      done += rows.length;
      options.onProgress?.(done);
    });
  }
  for (const [key, last] of counters) {
    const cut = key.lastIndexOf('-');
    const [prefix, year] = [key.slice(0, cut), Number(key.slice(cut + 1))];
    await handle.db
      .insertInto('case_number_counters')
      .values({ prefix, year, last_number: last })
      .onConflict((oc) => oc.columns(['prefix', 'year']).doUpdateSet({ last_number: sql`greatest(case_number_counters.last_number, excluded.last_number)` }))
      .execute();
  }
  await sql`analyze cases`.execute(handle.db);
  return { cases: done, seconds: (performance.now() - started) / 1000, method: handle.kind === 'postgres' ? 'COPY' : 'multi-row INSERT' };
}
