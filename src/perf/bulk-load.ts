import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/types.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { RoutingService } from '../routing/service.js';
import { CASE_COLUMNS, generateCases, type DatasetOptions, type GeneratedCase } from './dataset.js';

const COPY_SPECIAL = /[\\\t\n\r]/;
const DAY_MS = 86_400_000;
const COPY_CHUNK = 1 << 20;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayPrefixes = new Map<number, string>();

/** A text value in PostgreSQL's COPY text format: backslash, tab and line breaks escaped, null as \N. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : value;
}

/** A number in COPY text format, null as \N. */
export function copyNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? '\\N' : String(value);
}

/**
 * An instant in COPY text format, as toISOString writes it; the date part is cached per UTC day, since a bulk load
 * writes millions of instants on a few thousand days.
 */
export function copyTime(value: Date | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const ms = value.getTime();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size < 100_000) dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** Any value in COPY text format. */
export function copyValue(value: unknown): string {
  if (typeof value === 'string') return copyText(value);
  if (typeof value === 'number') return String(value);
  if (value instanceof Date) return copyTime(value);
  if (value === null || value === undefined) return '\\N';
  return copyText(String(value));
}

/**
 * Streams lines of COPY text (each ending in a newline) into a table with COPY FROM STDIN on the given client, so
 * it can run inside the caller's transaction (PostgreSQL server only: PGlite has no COPY FROM STDIN through the pg
 * bridge, see insertLines). Lines may be produced lazily: each is encoded straight into a chunk of about 1 MB (much
 * cheaper than joining them first), and the server parses one chunk while the next is made. Values given for an
 * identity column are stored as given (COPY's rule).
 */
export async function copyLines(client: pg.ClientBase, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  const chunks = function* () {
    let chunk = Buffer.allocUnsafe(COPY_CHUNK);
    let used = 0;
    for (const line of lines) {
      // A UTF-16 code unit takes at most three bytes in UTF-8.
      if (used + line.length * 3 > chunk.length) {
        if (used > 0) yield chunk.subarray(0, used);
        chunk = Buffer.allocUnsafe(Math.max(COPY_CHUNK, line.length * 3));
        used = 0;
      }
      used += chunk.write(line, used);
    }
    if (used > 0) yield chunk.subarray(0, used);
  };
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)));
}

function fromCopyText(value: string): string | null {
  if (value === '\\N') return null;
  return value.includes('\\') ? value.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c) : value;
}

/**
 * PGlite's counterpart of copyLines: the same text (an item may hold several lines) split back into values and
 * stored by multi-row INSERTs, as many rows each as the parameter limit allows; values given for an identity
 * column are stored as given.
 */
export async function insertLines(client: pg.ClientBase, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  const perStatement = Math.floor(60_000 / columns.length);
  const flush = async (values: (string | null)[]) => {
    const rows = values.length / columns.length;
    const tuples = Array.from({ length: rows }, (_, r) => `(${columns.map((_c, k) => `$${r * columns.length + k + 1}`).join(', ')})`);
    await client.query(`insert into ${table} (${columns.join(', ')}) overriding system value values ${tuples.join(', ')}`, values);
  };
  let values: (string | null)[] = [];
  for (const text of lines) {
    for (const line of text.split('\n')) {
      if (line === '') continue;
      for (const field of line.split('\t')) values.push(fromCopyText(field));
      if (values.length >= perStatement * columns.length) {
        await flush(values);
        values = [];
      }
    }
  }
  if (values.length) await flush(values);
}

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
