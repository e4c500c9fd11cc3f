import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/connection.js';
import { openContext } from '../../src/bootstrap.js';
import { buildApp } from '../../src/app.js';
import { seedDemo } from '../../src/seed/demo.js';
import type { AppContext } from '../../src/app-context.js';

/**
 * Tests run on a fresh database per file: PGlite in memory by default, or a new PostgreSQL database
 * when INGANG_TEST_PG_URL is set (npm test sets it from DATABASE_URL). Both start from a template that
 * holds the migrated schema, reference data and the demo seed, built once per test run.
 */
const PG_URL = process.env.INGANG_TEST_PG_URL;
const PGLITE_TEMPLATE = process.env.INGANG_TEST_PGLITE_TEMPLATE;
// Each npm test run names its own template, so two runs against one server never drop each other's.
const PG_TEMPLATE_DB = process.env.INGANG_TEST_PG_TEMPLATE ?? 'ingang_test_template';
const SEED_NOW = new Date('2026-11-20T10:00:00Z');

export interface TestContext {
  ctx: AppContext;
  app: FastifyInstance;
  handle: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

function testConfig(): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', PUBLIC_BASE_URL: 'http://ingang.test' }), databaseUrl: undefined };
}

function databaseUrlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Builds the seeded template: a PGlite tarball file, or a PostgreSQL template database. Used by scripts/run-tests.mjs. */
export async function buildTemplate(target: { pgliteFile?: string; pgUrl?: string }): Promise<void> {
  if (target.pgUrl) {
    const admin = new pg.Client({ connectionString: target.pgUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${PG_TEMPLATE_DB} with (force)`);
    await admin.query(`create database ${PG_TEMPLATE_DB}`);
    await admin.end();
    const handle = await openDatabase({ databaseUrl: databaseUrlFor(target.pgUrl, PG_TEMPLATE_DB), poolSize: 2 });
    const { ctx } = await openContext(testConfig(), { handle });
    await seedDemo(ctx, SEED_NOW);
    await handle.close();
    return;
  }
  const handle = await openDatabase({});
  const { ctx } = await openContext(testConfig(), { handle });
  await seedDemo(ctx, SEED_NOW);
  const blob = await handle.dump!();
  fs.writeFileSync(target.pgliteFile!, Buffer.from(await blob.arrayBuffer()));
  await handle.close();
}

async function openTestDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  if (PG_URL) {
    const name = `ingang_t_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [PG_TEMPLATE_DB]);
    await admin.end();
    // scripts/run-tests.mjs builds the template before the files run; a file run alone builds it here.
    if (exists.rowCount === 0) await buildTemplate({ pgUrl: PG_URL });
    const creator = new pg.Client({ connectionString: PG_URL });
    await creator.connect();
    await creator.query(`create database ${name} template ${PG_TEMPLATE_DB}`);
    await creator.end();
    const handle = await openDatabase({ databaseUrl: databaseUrlFor(PG_URL, name), poolSize: 5 });
    return {
      handle,
      drop: async () => {
        const dropper = new pg.Client({ connectionString: PG_URL });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  if (PGLITE_TEMPLATE && fs.existsSync(PGLITE_TEMPLATE)) {
    const blob = new Blob([fs.readFileSync(PGLITE_TEMPLATE)]);
    return { handle: await openDatabase({ loadDataDir: blob }), drop: async () => {} };
  }
  const handle = await openDatabase({});
  return { handle, drop: async () => {} };
}

/** A seeded app on its own database; call close() in `after`. */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const { handle, drop } = await openTestDatabase();
  const config = { ...testConfig(), ...overrides };
  const { ctx } = await openContext(config, { handle });
  await seedDemo(ctx, SEED_NOW);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    handle,
    config,
    close: async () => {
      await app.close();
      await handle.close();
      await drop();
    },
  };
}

/** Signs in a demo user and returns the cookie and CSRF headers for later requests. */
export async function signIn(app: FastifyInstance, email: string, password = 'ingang-demo'): Promise<{ cookie: string; 'x-csrf-token': string }> {
  const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie, 'x-csrf-token': res.json().csrf_token };
}
