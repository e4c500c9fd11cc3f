import { sql, type Kysely, type QueryCreator } from 'kysely';
import type { Database } from '../db/types.js';

/** A data-modifying statement built for some rows; in a batch it becomes one CTE of the batch's statement. */
type Build<R> = (db: QueryCreator<Database>, rows: R[]) => { execute(): Promise<unknown> };

interface Deferred {
  rows: unknown[];
  build: Build<unknown>;
}

interface Collected {
  items: unknown[];
  prepare: (trx: Kysely<Database>, items: unknown[]) => Promise<void>;
}

interface Batch {
  writes: Map<string, Deferred>;
  collected: Map<string, Collected>;
}

const batches = new WeakMap<Kysely<Database>, Batch>();

/**
 * Runs `fn` in the transaction `trx` as one unit of work whose write-only rows (audit entries, outbox
 * messages, followers of a new case: rows nothing in the work reads back) are held and written together at
 * its end, still inside the transaction: one statement with a CTE per table, after whatever the collectors
 * need first (the audit chain's heads). An intake or a status change then costs a fixed few round trips
 * however many effects its events have; each round trip costs the app and PostgreSQL more than the rows.
 */
export async function withWriteBatch<T>(trx: Kysely<Database>, fn: () => Promise<T>): Promise<T> {
  if (batches.has(trx)) return fn();
  const batch: Batch = { writes: new Map(), collected: new Map() };
  batches.set(trx, batch);
  try {
    const result = await fn();
    await flush(trx, batch);
    return result;
  } finally {
    batches.delete(trx);
  }
}

/**
 * Writes `rows` with `build`: held for the end of the unit of work when `trx` runs one, else at once.
 * Rows deferred under one name are written by one statement (so `build` must take many rows).
 */
export async function deferWrite<R>(trx: Kysely<Database>, name: string, rows: R[], build: Build<R>): Promise<void> {
  if (rows.length === 0) return;
  const batch = batches.get(trx);
  if (!batch) {
    await build(trx, rows).execute();
    return;
  }
  const pending = batch.writes.get(name);
  if (pending) pending.rows.push(...rows);
  else batch.writes.set(name, { rows: [...rows], build: build as Build<unknown> });
}

/**
 * Collects `item` for `prepare`, which the batch calls once with all items before its statement (and which may
 * read, then defer writes). Without a batch, `prepare` runs at once for this item alone.
 */
export async function collect<T>(trx: Kysely<Database>, name: string, item: T, prepare: (trx: Kysely<Database>, items: T[]) => Promise<void>): Promise<void> {
  const batch = batches.get(trx);
  if (!batch) return prepare(trx, [item]);
  const collected = batch.collected.get(name);
  if (collected) collected.items.push(item);
  else batch.collected.set(name, { items: [item], prepare: prepare as Collected['prepare'] });
}

/** Writes what the unit of work holds so far, for work that must then see or change those rows (rare paths). */
export async function writeHeldRows(trx: Kysely<Database>): Promise<void> {
  const batch = batches.get(trx);
  if (batch) await flush(trx, batch);
}

async function flush(trx: Kysely<Database>, batch: Batch): Promise<void> {
  for (const [name, collected] of batch.collected) {
    batch.collected.delete(name);
    await collected.prepare(trx, collected.items);
  }
  const writes = [...batch.writes.values()];
  batch.writes.clear();
  if (writes.length === 0) return;
  if (writes.length === 1) {
    await writes[0].build(trx, writes[0].rows).execute();
    return;
  }
  // Every data-modifying CTE runs to completion whether or not the outer select reads it.
  // The CTEs' names and types matter to no one: the builder is typed loosely while it grows.
  type Growing = { with(name: string, cte: (db: QueryCreator<Database>) => never): Growing; selectNoFrom: QueryCreator<Database>['selectNoFrom'] };
  let statement = trx as unknown as Growing;
  writes.forEach((w, i) => {
    statement = statement.with(`w${i}`, (db) => w.build(db, w.rows) as never);
  });
  await statement.selectNoFrom(sql<number>`1`.as('written')).execute();
}
