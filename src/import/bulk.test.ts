import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { openDatabase } from '../db/connection.js';
import { dueAtFor } from '../cases/service.js';
import { parseMapArgument } from './mapping.js';
import { csvSource } from './sources.js';
import { importCases, type ImportDeps } from './service.js';
import { CHECKED_REFERENCES } from './writer.js';

// The bulk path (BulkWriter, BatchScheduler) with batches small enough that a file of a few hundred rows spans
// several batches of several years, written side by side on PostgreSQL.

const MAPPING = parseMapArgument('id=nr,category=kategori,description=text,lat=lat,long=lon,created=skapad,closed=stangd,status=status,' +
  'reporter_name=namn,reporter_email=epost,category.Gatlampa=street_light,category.Potthål=pothole,category.Klotter=graffiti,' +
  'status.Avslutad=closed,status.Öppen=submitted,status.Pågår=in_progress');
const CATEGORIES = ['Gatlampa', 'Potthål', 'Klotter'];
const STATES = ['Avslutad', 'Avslutad', 'Öppen', 'Pågår'];
const POINTS = [[57.4873, 12.0761], [57.5014, 12.0755], [57.4649, 12.1107]];

let t: TestContext;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-bulk-'));
before(async () => {
  t = await createTestContext();
});
after(async () => {
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const deps = (): ImportDeps => ({ ...t.ctx, pool: t.handle.pool });

/** A CSV of `rows` cases from 2022 to 2025 (a tab, a backslash and a line break in some descriptions, some reporters). */
function writeCsv(name: string, rows: number, first = 1): string {
  const lines = ['nr;kategori;text;lat;lon;skapad;stangd;status;namn;epost'];
  for (let i = first; i < first + rows; i++) {
    const created = new Date(Date.UTC(2022 + (i % 4), (i * 7) % 12, 1 + (i % 27), 6 + (i % 12), (i * 13) % 60));
    const state = STATES[i % STATES.length];
    const closed = state === 'Avslutad' ? new Date(created.getTime() + (1 + (i % 9)) * 86_400_000).toISOString() : '';
    const text = i % 10 === 0 ? `"Lampa ${i}\tvid\\skolan,\nsläckt"` : `Ärende ${i}`;
    const [lat, lon] = POINTS[i % POINTS.length];
    lines.push([i, CATEGORIES[i % 3], text, lat, lon, created.toISOString(), closed, state, i % 5 === 0 ? `Namn ${i}` : '', i % 5 === 0 ? `p${i}@example.se` : ''].join(';'));
  }
  const file = path.join(tmp, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

async function imported(source: string) {
  return t.ctx.db.selectFrom('cases').selectAll().where('external_source', '=', source).orderBy('id').execute();
}

test('a file in several batches and years: half of it, then all of it, then again; numbers, events, routing, SLA, reporters, audit', async () => {
  const mapping = { ...MAPPING, source: 'bulk-years' };
  const half = await importCases(deps(), { source: csvSource(writeCsv('half.csv', 300), mapping), municipalityCode: '1384', mapping, batchSize: 40 });
  assert.deepEqual([half.read, half.imported, half.skipped, half.errors.length], [300, 300, 0, 0]);
  const file = writeCsv('all.csv', 600);
  const all = await importCases(deps(), { source: csvSource(file, mapping), municipalityCode: '1384', mapping, batchSize: 40 });
  assert.deepEqual([all.read, all.imported, all.skipped, all.errors.length], [600, 300, 300, 0]);
  const again = await importCases(deps(), { source: csvSource(file, mapping), municipalityCode: '1384', mapping, batchSize: 40 });
  assert.deepEqual([again.imported, again.skipped], [0, 600]);

  const cases = await imported('bulk-years');
  assert.equal(cases.length, 600);
  // Each year's numbers run without a gap from where the series stood (the seed has no cases before 2026).
  for (const year of [2022, 2023, 2024, 2025]) {
    const numbers = cases.filter((c) => c.public_id.startsWith(`KGS-${year}-`)).map((c) => Number(c.public_id.split('-')[2])).sort((a, b) => a - b);
    assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `KGS-${year}`);
    const counter = await t.ctx.db.selectFrom('case_number_counters').select('last_number').where('prefix', '=', 'KGS').where('year', '=', year).executeTakeFirstOrThrow();
    assert.equal(counter.last_number, numbers.length);
  }
  assert.equal(new Set(cases.map((c) => c.follow_token)).size, 600);
  assert.ok(cases.every((c) => /^[\w-]{24}$/.test(c.follow_token)));

  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const events = await t.ctx.db.selectFrom('case_events').select(['case_id', 'kind', 'status_after', 'body', 'data', 'created_at', 'visibility']).where('case_id', 'in', cases.map((c) => c.id)).orderBy('id').execute();
  for (const c of cases) {
    const own = events.filter((e) => e.case_id === c.id);
    const routing = c.routing as unknown as Record<string, unknown>;
    assert.equal(routing.located_by, 'point');
    assert.equal(routing.decided_at, c.requested_at.toISOString());
    assert.deepEqual(own.map((e) => e.kind), c.status === 'submitted' ? ['created'] : ['created', 'status_changed']);
    assert.equal(own[0].body, routing.explanation_sv);
    assert.equal(own[0].created_at.toISOString(), c.requested_at.toISOString());
    assert.deepEqual(own[0].data, { channel: 'import', imported_from: 'bulk-years' });
    if (c.status !== 'submitted') assert.equal(own[1].created_at.toISOString(), (c.closed_at ?? c.updated_at).toISOString());
    const service = await t.ctx.db.selectFrom('services').select(['sla_tiers', 'default_priority']).where('id', '=', c.service_id).executeTakeFirstOrThrow();
    assert.equal(c.sla_due_at?.toISOString(), dueAtFor(service.sla_tiers, service.default_priority, c.requested_at)?.toISOString());
    const received = (c.as_received as unknown as { imported_from: { line: number; external_id: string } }).imported_from;
    assert.equal(lines[received.line - 1].split(';')[0], received.external_id);
  }
  const odd = cases.find((c) => c.external_id === '10')!;
  assert.equal(odd.description, 'Lampa 10\tvid\\skolan,\nsläckt');
  const withReporter = cases.filter((c) => c.reporter_id !== null);
  assert.equal(withReporter.length, 120);
  const reporter = await t.ctx.db.selectFrom('reporters').select(['name', 'email', 'organisation_id']).where('id', '=', withReporter[0].reporter_id!).executeTakeFirstOrThrow();
  assert.deepEqual(reporter, { name: `Namn ${withReporter[0].external_id}`, email: `p${withReporter[0].external_id}@example.se`, organisation_id: withReporter[0].organisation_id });

  const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'details']).where('subject_type', '=', 'import').where('subject_id', '=', 'bulk-years').orderBy('id').execute();
  assert.deepEqual(audit.map((a) => (a.details as { imported: number }).imported), [300, 300]);
});

test('statistics after a bulk import agree with a recount from cases', async () => {
  const res = await t.app.inject('/api/statistics/municipalities/1384?from=2022-01&to=2025-12');
  assert.equal(res.statusCode, 200);
  const stats = res.json().municipalities[0];
  const recount = await sql<{ cases: number; closed: number }>`
    select count(*)::int as cases, count(closed_at)::int as closed from cases where municipality_code = '1384'
      and requested_at >= timestamp '2022-01-01' at time zone 'Europe/Stockholm' and requested_at < timestamp '2026-01-01' at time zone 'Europe/Stockholm'`.execute(t.ctx.db);
  assert.equal(stats.cases, recount.rows[0].cases);
  assert.ok(stats.cases >= 600);
  const monthly = await sql<{ cases: number; closed: number }>`
    select sum(cases)::int as cases, sum(closed)::int as closed from stats_monthly where municipality_code = '1384' and month between '2022-01-01' and '2025-12-01'`.execute(t.ctx.db);
  assert.deepEqual(monthly.rows[0], recount.rows[0]);
});

test('the staff queue counts per state after a bulk import agree with a recount from cases', async () => {
  const counted = await sql<{ organisation_id: number; status: string; n: number }>`
    select organisation_id, status, sum(n)::int as n from case_status_counts group by 1, 2 having sum(n) <> 0 order by 1, 2`.execute(t.ctx.db);
  const recount = await sql<{ organisation_id: number; status: string; n: number }>`
    select organisation_id, status, count(*)::int as n from cases group by 1, 2 order by 1, 2`.execute(t.ctx.db);
  assert.deepEqual(counted.rows, recount.rows);
});

test('a batch that fails leaves nothing behind, and its rows are reported by line; other batches are stored', async () => {
  // Events before 2005 are refused for the length of this test, so the batch of 2003 fails after its cases went in.
  await sql`alter table case_events add constraint bulk_test_no_old_events check (created_at >= '2005-01-01') not valid`.execute(t.ctx.db);
  try {
    const file = path.join(tmp, 'old.csv');
    fs.writeFileSync(file, ['nr;kategori;text;lat;lon;skapad;stangd;status;namn;epost',
      '1;Gatlampa;a;57.4873;12.0761;2021-03-01T08:00:00Z;;Öppen;Nils Nilsson;nils@example.se',
      '2;Gatlampa;b;57.4873;12.0761;2003-03-01T08:00:00Z;;Öppen;Eva Svensson;eva@example.se',
      '3;Potthål;c;57.4873;12.0761;2003-05-01T08:00:00Z;;Öppen;;',
      '4;Potthål;d;57.4873;12.0761;2021-05-01T08:00:00Z;;Öppen;;'].join('\n'));
    const mapping = { ...MAPPING, source: 'bulk-fail' };
    const before = await sql<{ cases: number; events: number; reporters: number }>`
      select (select count(*)::int from cases) as cases, (select count(*)::int from case_events) as events, (select count(*)::int from reporters) as reporters`.execute(t.ctx.db);
    const s = await importCases(deps(), { source: csvSource(file, mapping), municipalityCode: '1384', mapping, batchSize: 2 });
    assert.deepEqual(s.errors.map((e) => [e.line, e.field]), [[3, 'database'], [4, 'database']]);
    assert.match(s.errors[0].message, /bulk_test_no_old_events/);
    assert.equal(s.imported, 2);
    assert.deepEqual((await imported('bulk-fail')).map((c) => c.external_id), ['1', '4']);
    const afterwards = await sql<{ cases: number; events: number; reporters: number }>`
      select (select count(*)::int from cases) as cases, (select count(*)::int from case_events) as events, (select count(*)::int from reporters) as reporters`.execute(t.ctx.db);
    assert.deepEqual(afterwards.rows[0], { cases: before.rows[0].cases + 2, events: before.rows[0].events + 2, reporters: before.rows[0].reporters + 1 });
    const counter = await t.ctx.db.selectFrom('case_number_counters').select('last_number').where('prefix', '=', 'KGS').where('year', '=', 2003).executeTakeFirst();
    assert.equal(counter, undefined);
  } finally {
    await sql`alter table case_events drop constraint bulk_test_no_old_events`.execute(t.ctx.db);
  }
});

test('a batch whose responsibility was removed after routing fails as a whole, by line', async () => {
  // Upplands Väsby has no demo cases, so its own responsibility can be removed while the import runs.
  const { id } = await t.ctx.db.selectFrom('responsibilities as r').innerJoin('organisations as o', 'o.id', 'r.provider_organisation_id')
    .select('r.id').where('o.municipality_code', '=', '0114').where('r.kind', '=', 'own').executeTakeFirstOrThrow();
  const mapping = { ...parseMapArgument('coordinates=ignore'), source: 'bulk-vanished' };
  async function* records() {
    for (let i = 1; i <= 3; i++) yield { line: i, progress: i, fields: { id: String(i), category: 'pothole', description: 'x', created: `2024-0${i}-01T08:00:00Z` } };
    // Routed already; the batch is written only when the source ends (it is smaller than a batch).
    await sql`delete from responsibilities where id = ${id}`.execute(t.ctx.db);
  }
  const s = await importCases(deps(), { source: { name: 'vanished', total: 3, records: records() }, municipalityCode: '0114', mapping });
  assert.deepEqual(s.errors.map((e) => [e.line, e.field]), [[1, 'database'], [2, 'database'], [3, 'database']]);
  assert.match(s.errors[0].message, /responsibilit/);
  assert.equal((await imported('bulk-vanished')).length, 0);
});

test('the bulk path knows every trigger and foreign key of the tables it writes', async () => {
  // A batch may run with session_replication_role = replica, which silences ordinary triggers (foreign keys
  // included). A new trigger or foreign key on these tables must be made ENABLE ALWAYS, checked in
  // CHECKED_REFERENCES, or shown to be left null by the import; this list makes that a conscious step.
  const triggers = await sql<{ table: string; name: string; enabled: string }>`
    select c.relname as table, t.tgname as name, t.tgenabled as enabled from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where c.relname in ('cases', 'case_events', 'reporters', 'case_number_counters') and not t.tgisinternal order by 1, 2`.execute(t.ctx.db);
  assert.deepEqual(triggers.rows.map((r) => `${r.table}.${r.name}:${r.enabled}`), [
    'cases.cases_as_received_immutable:O', 'cases.cases_counts_deleted:A', 'cases.cases_counts_inserted:A', 'cases.cases_counts_updated:A',
    'cases.cases_stats_deleted:A', 'cases.cases_stats_inserted:A', 'cases.cases_stats_updated:A',
  ]);
  const keys = await sql<{ key: string }>`
    select c.relname || '.' || a.attname || '->' || f.relname as key from pg_constraint k
      join pg_class c on c.oid = k.conrelid join pg_class f on f.oid = k.confrelid
      join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
    where k.contype = 'f' and c.relname in ('cases', 'case_events', 'reporters') order by 1`.execute(t.ctx.db);
  const checked = new Set(CHECKED_REFERENCES.map((r) => r.table));
  const own = ['cases.reporter_id->reporters', 'case_events.case_id->cases'];
  const leftNull = ['cases.api_key_id->api_keys', 'cases.asset_id->assets', 'cases.assignee_user_id->users', 'cases.contractor_organisation_id->organisations',
    'cases.duplicate_of_case_id->cases', 'case_events.actor_organisation_id->organisations', 'case_events.actor_user_id->users'];
  for (const { key } of keys.rows) {
    assert.ok(own.includes(key) || leftNull.includes(key) || checked.has(key.split('->')[1]), `${key}: how does the bulk import keep it?`);
  }
});

test('without the right to set session_replication_role the per-row triggers check every row (PostgreSQL)', async (ctx) => {
  if (t.handle.kind !== 'postgres') return ctx.skip('PGlite runs as its superuser');
  const role = `ingang_import_${process.pid}`;
  await sql.raw(`create role ${role} login password 'import'; grant select, insert, update on all tables in schema public to ${role};
    grant usage, select, update on all sequences in schema public to ${role}`).execute(t.ctx.db);
  const url = new URL((t.handle.pool as unknown as { options: { connectionString: string } }).options.connectionString);
  url.username = role;
  url.password = 'import';
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 3 });
  try {
    const allowed = await handle.pool.query(`select has_parameter_privilege('session_replication_role', 'SET') as allowed`);
    assert.equal(allowed.rows[0].allowed, false);
    const mapping = { ...MAPPING, source: 'bulk-plain' };
    const s = await importCases({ ...t.ctx, db: handle.db, pool: handle.pool }, { source: csvSource(writeCsv('plain.csv', 50, 1001), mapping), municipalityCode: '1384', mapping, batchSize: 20 });
    assert.deepEqual([s.imported, s.errors.length], [50, 0]);
    const events = await sql<{ n: number }>`select count(*)::int as n from case_events e join cases c on c.id = e.case_id where c.external_source = 'bulk-plain'`.execute(t.ctx.db);
    assert.equal(events.rows[0].n, 50 + 50 - (await imported('bulk-plain')).filter((c) => c.status === 'submitted').length);
  } finally {
    await handle.close();
    await sql.raw(`drop owned by ${role}; drop role ${role}`).execute(t.ctx.db);
  }
});
