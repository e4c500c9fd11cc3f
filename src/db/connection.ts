import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './types.js';
import { acquireDataDirLock } from './lock.js';

// bigint ids and counts fit in a JS number for this domain; dates stay plain 'YYYY-MM-DD' strings
// so that no time zone shifts a validity date.
pg.types.setTypeParser(20, (value) => Number(value));
pg.types.setTypeParser(1082, (value) => value);

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the Kysely instance, the pool under it, and how to close both. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  kind: DatabaseKind;
  close(): Promise<void>;
  /**
   * Runs `fn` while no other process does the same on this database: processes that start together against one
   * PostgreSQL server migrate, load reference data and seed the demo one after another, so the second finds the
   * work done instead of doing it again. PGlite has one process per data directory already.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** PGlite only: a tarball of the whole database, for backups and fast test set-up. */
  dump?: (compression?: 'none' | 'gzip') => Promise<Blob>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** Data directory for the embedded database; omitted means in memory (tests). */
  dataDir?: string;
  /** A dump made with dumpDataDir, used to start an in-memory database quickly (tests). */
  loadDataDir?: Blob;
  poolSize?: number;
}

// Any fixed number names the lock; this one is "Ingång start-up" to whoever reads pg_locks.
const STARTUP_LOCK = 7_311_001;

/** Holds a session advisory lock on a connection of its own (not one the work needs from the pool) while fn runs. */
async function holdingStartupLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // Losing this connection (server restart) only ends the lock early; unheard, its error would end the process.
  client.on('error', (error) => process.emitWarning(`PostgreSQL ended the start-up lock's connection: ${error.message}`, 'DatabaseWarning'));
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
    return await fn();
  } finally {
    // Ending the session releases the lock, also when fn failed; a failure to end it must not hide fn's outcome.
    await client.end().catch(() => {});
  }
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite. */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection the server ends (restart, failover, idle timeout, a closing pool's last goodbye) is an
    // 'error' event on the pool; unheard, it would end the process. The pool drops that connection and the next
    // query gets a new one, so it is worth a warning, not a crash.
    pool.on('error', (error) => {
      if (!pool.ending) process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`, 'DatabaseWarning');
    });
    await pool.query('select 1');
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, pool, kind: 'postgres', close: () => db.destroy(), exclusive: (fn) => holdingStartupLock(options.databaseUrl!, fn) };
  }
  const release = options.dataDir ? acquireDataDirLock(options.dataDir) : () => {};
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
    const pglite = await PGlite.create({
      dataDir: options.dataDir ? path.join(options.dataDir, 'pgdata') : undefined,
      loadDataDir: options.loadDataDir,
    });
    // createPgConfig sets poolSize 1: PGlite is one connection, and a second checked-out
    // client desynchronises the protocol.
    const pool = new pg.Pool(createPgConfig(pglite));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      pool,
      kind: 'pglite',
      exclusive: (fn) => fn(),
      dump: (compression = 'none') => pglite.dumpDataDir(compression),
      close: async () => {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
