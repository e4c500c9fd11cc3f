import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestContext, signIn, type TestContext } from '../../test/helpers/context.js';
import { bucketOf, percentileHours } from './figures.js';

let t: TestContext;
// Stockholm (0180) has no demo cases, so the known dataset below is all there is.
const CODE = '0180';
const H = 3_600_000;

async function rawCase(n: number, f: { service: string; channel: string; requested: string; closeHours?: number; slaHours?: number; firstContact?: boolean; reopened?: boolean }) {
  const start = new Date(f.requested);
  await sql`
    insert into cases (public_id, organisation_id, municipality_code, service_id, status, priority, channel, routing, follow_token, as_received,
                       requested_at, updated_at, closed_at, sla_due_at, resolved_at_first_contact, reopen_count)
    values (${`STAT-${n}`}, (select min(id) from organisations), ${CODE}, (select id from services where service_code = ${f.service}),
            ${f.closeHours === undefined ? 'submitted' : 'closed'}, 2, ${f.channel}, '{}', ${`tok-stat-${n}`}, '{}',
            ${start}, ${start}, ${f.closeHours === undefined ? null : new Date(start.getTime() + f.closeHours * H)},
            ${f.slaHours === undefined ? null : new Date(start.getTime() + f.slaHours * H)}, ${f.firstContact ?? false}, ${f.reopened ? 1 : 0})`.execute(t.ctx.db);
}

before(async () => {
  t = await createTestContext();
  await rawCase(1, { service: 'pothole', channel: 'web', requested: '2026-01-10T10:00:00Z', closeHours: 1, slaHours: 24, firstContact: true });
  await rawCase(2, { service: 'pothole', channel: 'phone', requested: '2026-01-20T10:00:00Z', closeHours: 2, slaHours: 1 });
  await rawCase(3, { service: 'graffiti', channel: 'web', requested: '2026-02-05T10:00:00Z', closeHours: 10, reopened: true });
  await rawCase(4, { service: 'graffiti', channel: 'phone', requested: '2026-02-28T23:30:00Z' });
});
after(async () => t.close());

test('percentiles from the histogram are within a few per cent of the exact ones', () => {
  const minutes = Array.from({ length: 1000 }, (_, i) => 5 + i * 7.3);
  const hist = new Map<number, number>();
  for (const m of minutes) hist.set(bucketOf(m), (hist.get(bucketOf(m)) ?? 0) + 1);
  const exactMedianHours = minutes[499] / 60;
  const exactP90Hours = minutes[899] / 60;
  assert.ok(Math.abs(percentileHours(hist, 0.5)! - exactMedianHours) / exactMedianHours < 0.05);
  assert.ok(Math.abs(percentileHours(hist, 0.9)! - exactP90Hours) / exactP90Hours < 0.05);
  assert.equal(percentileHours(new Map(), 0.5), null);
});

test('figures of a small known dataset', async () => {
  const res = await t.app.inject(`/api/statistics/municipalities/${CODE}`);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(body.population_label, { sv: 'befolkning 2016-12-31', en: 'population 2016-12-31' });
  const m = body.municipalities[0];
  const population = (await t.ctx.db.selectFrom('municipalities').select('population_2016').where('code', '=', CODE).executeTakeFirstOrThrow()).population_2016!;
  assert.equal(m.cases, 4);
  assert.equal(m.closed, 3);
  assert.equal(m.population, population);
  assert.equal(m.cases_per_1000, Math.round((100_000 * 4) / population) / 100);
  assert.ok(Math.abs(m.median_hours_to_close - 2) <= 0.2, `median ${m.median_hours_to_close}`);
  assert.ok(m.p90_hours_to_close > 5 && m.p90_hours_to_close <= 10.5, `p90 ${m.p90_hours_to_close}`);
  assert.equal(m.sla_cases, 2);
  assert.equal(m.sla_compliance_pct, 50);
  assert.equal(m.first_contact_pct, 25);
  assert.equal(m.reopen_pct, 25);
  assert.deepEqual(m.channels.map((c: { channel: string; cases: number; share_pct: number }) => [c.channel, c.cases, c.share_pct]), [['phone', 2, 50], ['web', 2, 50]]);
  assert.deepEqual(m.by_category.map((c: { service_code: string; cases: number }) => [c.service_code, c.cases]), [['graffiti', 2], ['pothole', 2]]);
  // 2026-02-28T23:30Z is 1 March in Swedish time: months are counted on the Swedish calendar.
  assert.deepEqual(m.trend, [{ month: '2026-01', cases: 2, closed: 2 }, { month: '2026-02', cases: 1, closed: 1 }, { month: '2026-03', cases: 1, closed: 0 }]);
  const jan = (await t.app.inject(`/api/statistics/municipalities/${CODE}?from=2026-01&to=2026-01&service=pothole`)).json().municipalities[0];
  assert.equal(jan.cases, 2);
});

test('a status change reaches the statistics through the dirty marks', async () => {
  const before = (await t.app.inject(`/api/statistics/municipalities/${CODE}`)).json().municipalities[0];
  await sql`update cases set status = 'closed', closed_at = requested_at + interval '3 hours' where public_id = 'STAT-4'`.execute(t.ctx.db);
  const after = (await t.app.inject(`/api/statistics/municipalities/${CODE}`)).json().municipalities[0];
  assert.equal(after.closed, before.closed + 1);
});

test('compare by codes, county and agreement; bad selections name the field', async () => {
  const agreement = (await t.app.inject('/api/statistics/agreements')).json().find((a: { reference: string }) => a.reference === '2016/42');
  assert.deepEqual(agreement.municipality_codes, ['1960', '1983', '1984']);
  const byAgreement = (await t.app.inject('/api/statistics/compare?agreement=2016/42')).json();
  assert.deepEqual(byAgreement.municipalities.map((m: { code: string }) => m.code), ['1960', '1983', '1984']);
  assert.ok(byAgreement.municipalities.every((m: { cases: number }) => m.cases > 0));
  const mixed = (await t.app.inject('/api/statistics/compare?municipalities=1384,1283&county=01')).json();
  assert.ok(mixed.municipalities.length > 20);
  for (const [url, field] of [['/api/statistics/compare', 'municipalities'], ['/api/statistics/compare?municipalities=12', 'municipalities'],
    ['/api/statistics/compare?county=99', 'county'], ['/api/statistics/compare?agreement=nope', 'agreement'], ['/api/statistics/compare?municipalities=1384&from=2026-13', 'from'],
    ['/api/statistics/compare?municipalities=1384&service=nope', 'service']] as const) {
    const res = await t.app.inject(url);
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().error.field, field, url);
  }
});

test('every table is downloadable as CSV and the map covers all 290 municipalities', async () => {
  for (const table of ['summary', 'categories', 'channels', 'trend']) {
    const res = await t.app.inject(`/api/statistics/compare.csv?municipalities=1384,1283&table=${table}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/csv/);
    assert.ok(res.body.split('\r\n').length > 2, table);
  }
  const map = (await t.app.inject('/api/statistics/map?figure=sla_compliance_pct')).json();
  assert.equal(map.values.length, 290);
  const csv = await t.app.inject('/api/statistics/map.csv?figure=cases_per_1000');
  assert.equal(csv.body.trim().split('\r\n').length, 291);
});

test('statistics pages: charts with titles, tables, CSV links, the map; in Swedish and English', async () => {
  const res = await t.app.inject('/statistik/jamfor?municipalities=1384&municipalities=1283&figure=median_hours_to_close');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<html lang="sv">/);
  assert.match(res.body, /role="img" aria-labelledby=/);
  assert.equal((res.body.match(/<table>/g) ?? []).length, 5);
  assert.ok(res.body.includes('/api/statistics/compare.csv?municipalities=1384%2C1283&amp;table=trend&amp;lang=sv'));
  assert.match(res.body, /befolkning 2016-12-31/);
  assert.equal((res.body.match(/<path d="M/g) ?? []).length >= 290, true);
  const en = await t.app.inject('/statistik/kommun/1384?lang=en');
  assert.match(en.body, /<html lang="en">/);
  assert.match(en.body, /Statistics for Kungsbacka/);
  const index = await t.app.inject('/statistik');
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /<label for="f-m">/);
  const bad = await t.app.inject('/statistik/jamfor?county=99');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /role="alert"/);
});

test('refresh on demand is for admins', async () => {
  const anon = await t.app.inject({ method: 'POST', url: '/api/statistics/refresh' });
  assert.equal(anon.statusCode, 401);
  const handler = await signIn(t.app, 'handler@kungsbacka.demo');
  assert.equal((await t.app.inject({ method: 'POST', url: '/api/statistics/refresh', headers: handler })).statusCode, 403);
  const admin = await signIn(t.app, 'admin@kungsbacka.demo');
  const ok = await t.app.inject({ method: 'POST', url: '/api/statistics/refresh', headers: admin });
  assert.equal(ok.statusCode, 200);
});
