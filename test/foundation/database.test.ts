import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadReferenceData } from '../../src/reference/load.js';
import { seedDemo } from '../../src/seed/demo.js';
import type { DatabaseHandle } from '../../src/db/connection.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

test('migrations are applied and re-running them changes nothing', async () => {
  const again = await migrateToLatest(t.ctx.db);
  assert.deepEqual(again, []);
  const applied = await t.ctx.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
  assert.ok(applied.length >= 1);
});

test('290 municipalities, 21 counties, postal codes and polygons are loaded, and loading again is idempotent', async () => {
  const counts = await loadReferenceData(t.ctx.db);
  assert.equal(counts.municipalities, 290);
  assert.equal(counts.counties, 21);
  assert.ok(counts.postalCodes > 15000, `postal codes: ${counts.postalCodes}`);
  const areas = await t.ctx.db.selectFrom('areas').select(t.ctx.db.fn.countAll<number>().as('n')).where('kind', '=', 'municipality').executeTakeFirstOrThrow();
  assert.equal(Number(areas.n), 290);
  const orgs = await t.ctx.db.selectFrom('organisations').select(t.ctx.db.fn.countAll<number>().as('n')).where('kind', '=', 'municipality').executeTakeFirstOrThrow();
  assert.equal(Number(orgs.n), 290);
  const own = await t.ctx.db.selectFrom('responsibilities').select(t.ctx.db.fn.countAll<number>().as('n')).where('kind', '=', 'own').executeTakeFirstOrThrow();
  assert.equal(Number(own.n), 290);
  const kungsbacka = await t.ctx.db.selectFrom('municipalities').selectAll().where('code', '=', '1384').executeTakeFirstOrThrow();
  assert.equal(kungsbacka.name_short, 'Kungsbacka');
  assert.equal(kungsbacka.county_code, '13');
  assert.ok((kungsbacka.population_2016 ?? 0) > 70000);
});

test('the demo seed is idempotent and tells the story', async () => {
  const before = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.ok(Number(before.n) >= 200, `demo cases: ${before.n}`);
  const again = await seedDemo(t.ctx);
  assert.equal(again.alreadySeeded, true);
  const afterCount = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(afterCount.n), Number(before.n));
  const slugs = (await t.ctx.db.selectFrom('organisations').select('slug').where('kind', '<>', 'municipality').execute()).map((o) => o.slug);
  for (const slug of ['kak-avfall', 'trafikverket', 'ljusdrift']) assert.ok(slugs.includes(slug), slug);
  const statuses = await t.ctx.db.selectFrom('cases').select('status').distinct().execute();
  assert.ok(statuses.length >= 5, `statuses: ${statuses.map((s) => s.status).join(',')}`);
});

test('database constraints refuse bad rows, not only the code', async () => {
  await assert.rejects(
    t.ctx.db.insertInto('municipalities').values({ code: '12a4', name: 'X', name_short: 'X', county_code: '13', population_2016: null, land_area_km2: null }).execute(),
  );
  await assert.rejects(
    t.ctx.db.insertInto('organisations').values({ slug: 'x', kind: 'bogus' as never, name_sv: 'x', name_en: 'x', case_prefix: 'XQZ', municipality_code: null, host_organisation_id: null, contact_email: null, contact_phone: null, website: null }).execute(),
  );
  await assert.rejects(t.ctx.db.insertInto('users').values({ email: 'UPPER@X.SE', display_name: 'x', password_hash: null }).execute());
});

test('an idle connection ended by the PostgreSQL server does not stop the process; the next query works', { skip: !process.env.INGANG_TEST_PG_URL && 'PostgreSQL only: PGlite has no server to end a connection' }, async () => {
  const { sql } = await import('kysely');
  const pg = (await import('pg')).default;
  const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(t.ctx.db)).rows[0].pid;
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  // The connection is back in the pool, idle; ending it from another session is what a server restart does.
  const other = new pg.Client({ connectionString: process.env.INGANG_TEST_PG_URL });
  await other.connect();
  try {
    await other.query('select pg_terminate_backend($1)', [pid]);
    for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(warnings.join('\n'), /closed an idle connection/);
    const again = await sql<{ one: number }>`select 1 as one`.execute(t.ctx.db);
    assert.equal(again.rows[0].one, 1);
  } finally {
    process.off('warning', onWarning);
    await other.end();
  }
});

test('two processes starting together on an empty PostgreSQL database migrate, load and seed once', { skip: !process.env.INGANG_TEST_PG_URL && 'PostgreSQL only: PGlite has one process per data directory', timeout: 240_000 }, async () => {
  const pg = (await import('pg')).default;
  const { openDatabase } = await import('../../src/db/connection.js');
  const { openContext } = await import('../../src/bootstrap.js');
  const { loadConfig } = await import('../../src/config.js');
  const name = `ingang_start_${process.pid}`;
  const url = new URL(process.env.INGANG_TEST_PG_URL!);
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  url.pathname = `/${name}`;
  const handles: DatabaseHandle[] = [];
  try {
    // What `serve` does on start, twice at once (two sessions, as two processes would have).
    const start = async () => {
      const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 3 });
      handles.push(handle);
      const { ctx } = await openContext({ ...loadConfig({ LOG_LEVEL: 'silent' }), databaseUrl: url.toString() }, { handle });
      return handle.exclusive(() => seedDemo(ctx));
    };
    const seeds = await Promise.all([start(), start()]);
    assert.deepEqual(seeds.map((s) => s.alreadySeeded).sort(), [false, true]);
    const db = handles[0].db;
    const count = async (table: 'cases' | 'municipalities') =>
      Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(await count('municipalities'), 290);
    assert.equal(await count('cases'), seeds.find((s) => !s.alreadySeeded)!.cases);
  } finally {
    for (const handle of handles) await handle.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
});
