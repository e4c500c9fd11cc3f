import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase, type DatabaseHandle } from '../src/db/connection.js';
import { openContext } from '../src/bootstrap.js';
import { seedDemo } from '../src/seed/demo.js';
import { loadDataset } from '../src/perf/bulk-load.js';
import type { AppContext } from '../src/app-context.js';

/** The fixed "now" of every bench data set, so two runs compare the same rows. */
export const BENCH_NOW = new Date('2026-11-20T10:00:00Z');
const MARKER = 'bench_dataset';

/** The URL of another database on the same server. */
export function databaseUrlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface BenchDatabase {
  url: string;
  handle: DatabaseHandle;
  ctx: AppContext;
  /** How the data set was made now, or null when an earlier run's was reused. */
  load: { cases: number; seconds: number; method: string } | null;
  cases: number;
}

/**
 * The bench database (`ingang_bench`, or BENCH_DATABASE) on the server of `baseUrl`: migrated, the demo seed (organisations,
 * agreements, users) and `count` generated cases. A run with the same count and seed reuses the data set
 * of the previous run unless `fresh`; the runs of the other benches (POSTs) are removed first.
 */
export async function prepareBenchDatabase(baseUrl: string, count: number, opts: { fresh?: boolean; log?: (line: string) => void } = {}): Promise<BenchDatabase> {
  const log = opts.log ?? (() => {});
  const name = process.env.BENCH_DATABASE || 'ingang_bench';
  const url = databaseUrlFor(baseUrl, name);
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  let reuse = false;
  if (exists && !opts.fresh) {
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    try {
      const row = (await probe.query('select value from settings where key = $1', [MARKER])).rows[0];
      reuse = row?.value?.count === count;
    } catch {
      reuse = false;
    } finally {
      await probe.end();
    }
  }
  if (!reuse) {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  }
  await admin.end();
  const handle = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: url };
  const { ctx } = await openContext(config, { handle });
  let load = null;
  if (!reuse) {
    log('seeding the demo organisations and agreements');
    await seedDemo(ctx, BENCH_NOW);
    log(`generating and loading ${count.toLocaleString('en')} cases`);
    load = await loadDataset(handle, ctx.routing, { count, now: BENCH_NOW, onProgress: (n) => log(`  ${n.toLocaleString('en')} cases`) });
    // A running installation's tables have been vacuumed: hint bits set and the visibility map filled, so index-only
    // scans work and the first reads do not write. Without it a new data set's first reads measure the load.
    log('vacuum analyze');
    await sql`vacuum (analyze) cases, case_events, reporters`.execute(ctx.db);
    await ctx.db.insertInto('settings').values({ key: MARKER, value: JSON.stringify({ count, loaded_cases: load.cases }) }).execute();
  } else {
    log(`reusing the data set of an earlier run (${count.toLocaleString('en')} cases requested)`);
    // The cases earlier runs POSTed (dated after the data set's "now"), with the rows that point to them.
    await ctx.db.transaction().execute(async (trx) => {
      await sql`create temporary table bench_posted on commit drop as
        select id from cases where channel = 'open311' and requested_at > ${BENCH_NOW}`.execute(trx);
      for (const table of ['attachments', 'case_access', 'open311_forwards', 'case_followers', 'case_events']) {
        await sql`delete from ${sql.table(table)} where case_id in (select id from bench_posted)`.execute(trx);
      }
      await sql`delete from cases where id in (select id from bench_posted)`.execute(trx);
    });
  }
  const cases = Number((await sql<{ n: number }>`select count(*)::int as n from cases`.execute(ctx.db)).rows[0].n);
  return { url, handle, ctx, load, cases };
}
