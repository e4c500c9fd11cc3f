import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { normaliseMapping, parseMapArgument } from './mapping.js';
import { csvSource, open311Source } from './sources.js';
import { importCases } from './service.js';
import { formatSummary } from './command.js';
import { parseDate } from './dates.js';

const NEW_HAVEN = '../shared/data-candidates/3_service_requests/newhavenrc-nhrc/derived/SCF_2014_NHV_Service_Request_Data.no_reporter.csv';
const BLOOMINGTON = '../shared/data-candidates/4_open311_api_samples/bensheldon-open311status/test/mocks/bloomington_requests.json';
const TORONTO_XML = '../shared/data-candidates/4_open311_api_samples/bensheldon-open311status/spec/fixtures/files/requests_many.xml';
const MAPPING = path.join(import.meta.dirname, 'fixtures/new-haven-mapping.json');

let t: TestContext;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-import-'));
before(async () => {
  t = await createTestContext();
});
after(async () => {
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const deps = () => ({ ...t.ctx, pool: t.handle.pool });

async function countSource(source: string): Promise<number> {
  const row = await t.ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where('external_source', '=', source).executeTakeFirstOrThrow();
  return Number(row.n);
}

test('dates: patterns with AM/PM in a time zone, ISO with and without zone, unix seconds', () => {
  assert.equal(parseDate('01/06/2014 - 05:24PM', 'MM/DD/YYYY - hh:mmA', 'Europe/Stockholm')!.toISOString(), '2014-01-06T16:24:00.000Z');
  assert.equal(parseDate('07/01/2014 - 12:05AM', 'MM/DD/YYYY - hh:mmA', 'Europe/Stockholm')!.toISOString(), '2014-06-30T22:05:00.000Z');
  assert.equal(parseDate('2026-03-29 02:30', 'iso', 'Europe/Stockholm')!.toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(parseDate('2012-05-23T15:55:28-04:00', 'iso', 'Europe/Stockholm')!.toISOString(), '2012-05-23T19:55:28.000Z');
  assert.equal(parseDate('1517065554', 'unix', 'UTC')!.toISOString(), '2018-01-27T15:05:54.000Z');
  assert.equal(parseDate('13/45/2014 - 01:00AM', 'MM/DD/YYYY - hh:mmA', 'UTC'), null);
  assert.equal(parseDate('', 'iso', 'UTC'), undefined);
});

test('inline mappings and their usage errors', () => {
  const m = parseMapArgument('id=ID,category=Title,created=Date Created,category.Pothole=pothole,status.received=confirmed,date_format=unix,coordinates=ignore');
  assert.deepEqual(m.columns, { id: 'ID', category: 'Title', created: 'Date Created' });
  assert.equal(m.categories.pothole, 'pothole');
  assert.equal(m.statuses.received, 'confirmed');
  assert.equal(m.coordinates, 'ignore');
  assert.throws(() => parseMapArgument('idx=ID'), /unknown field "idx"/);
  assert.throws(() => parseMapArgument('id=ID,status.x=nope'), /not a state/);
  assert.throws(() => normaliseMapping({ time_zone: 'Mars/Olympus' }), /time zone/);
  assert.throws(() => csvSource(NEW_HAVEN, parseMapArgument('id=Nope')), /no column "Nope"/);
});

test('New Haven 2014 (9 965 rows) onto Kungsbacka: routed, numbered, line-numbered errors; a re-run skips everything', async () => {
  const mapping = parseMapArgument(MAPPING);
  const first = await importCases(deps(), { source: csvSource(NEW_HAVEN, mapping), municipalityCode: '1384', mapping });
  assert.equal(first.read, 9965);
  assert.equal(first.imported, 9963);
  // Line numbers are physical lines: descriptions span several lines inside quotes.
  assert.deepEqual(first.errors.map((e) => [e.line, e.field]), [[4855, 'description'], [14947, 'title']]);
  assert.match(formatSummary(first), /line 4855: description: is 7886 characters/);
  assert.equal(await countSource('seeclickfix-new-haven-2014'), 9963);

  const kase = await t.ctx.db.selectFrom('cases').selectAll().where('external_source', '=', 'seeclickfix-new-haven-2014').where('external_id', '=', '873587').executeTakeFirstOrThrow();
  assert.match(kase.public_id, /^KGS-2014-\d{5}$/);
  assert.equal(kase.status, 'closed');
  assert.equal(kase.requested_at.toISOString(), '2014-01-01T08:22:00.000Z');
  assert.equal(kase.closed_at!.toISOString(), '2014-01-20T04:53:00.000Z');
  assert.equal(kase.channel, 'web');
  assert.equal(kase.municipality_code, '1384');
  assert.match((kase.routing as { explanation_sv: string }).explanation_sv, /Kungsbacka/);
  const events = await t.ctx.db.selectFrom('case_events').select(['kind', 'visibility', 'status_after']).where('case_id', '=', kase.id).orderBy('id').execute();
  assert.deepEqual(events.map((e) => e.kind), ['created', 'status_changed']);
  const numbers = await t.ctx.db.selectFrom('cases').select('public_id').where('public_id', 'like', 'KGS-2014-%').execute();
  assert.equal(new Set(numbers.map((n) => n.public_id)).size, 9963);

  const again = await importCases(deps(), { source: csvSource(NEW_HAVEN, mapping), municipalityCode: '1384', mapping });
  assert.equal(again.imported, 0);
  assert.equal(again.skipped, 9963);
  assert.equal(await countSource('seeclickfix-new-haven-2014'), 9963);

  const stats = (await t.app.inject('/api/statistics/municipalities/1384?from=2014-01&to=2014-12')).json().municipalities[0];
  assert.equal(stats.cases, 9963);
  assert.deepEqual(stats.channels.map((c: { channel: string }) => c.channel).sort(), ['app', 'web']);
  assert.ok(stats.median_hours_to_close > 0);
});

test('faulty rows are reported with their line and field and never written; valid rows around them are', async () => {
  const file = path.join(tmp, 'small.csv');
  fs.writeFileSync(file, [
    'nr;kategori;text;lat;lon;skapad;status',
    '1;Gatlampa;"Lampan lyser inte,\nvid busshållplatsen";57.4873;12.0761;2025-03-01 08:00;Avslutad',
    '2;Okänd;x;57.4873;12.0761;2025-03-01 08:00;Avslutad',
    '3;Gatlampa;x;57.4873;12.0761;igår;Avslutad',
    ';Gatlampa;x;57.4873;12.0761;2025-03-01 08:00;Avslutad',
    '5;Gatlampa;x;56.0465;12.6945;2025-03-01 08:00;Avslutad',
    '6;Gatlampa;<b>fet</b>;57.4873;12.0761;2025-03-01 08:00;Avslutad',
    '7;Gatlampa;x;57.4873;12.0761;2025-03-02 08:00;Konstig',
    '8;Gatlampa;x;57.4873;12.0761;2025-03-02 08:00;Öppen',
    '8;Gatlampa;samma id igen;57.4873;12.0761;2025-03-02 08:00;Öppen',
  ].join('\n'));
  const mapping = parseMapArgument('source=test-small,id=nr,category=kategori,description=text,lat=lat,long=lon,created=skapad,status=status,' +
    'category.Gatlampa=street_light,status.Avslutad=closed,status.Öppen=submitted');
  const s = await importCases(deps(), { source: csvSource(file, mapping), municipalityCode: '1384', mapping });
  assert.deepEqual(s.errors.map((e) => [e.line, e.field]), [[4, 'category'], [5, 'created'], [6, 'id'], [7, 'lat'], [8, 'description'], [9, 'status']]);
  assert.match(s.errors.find((e) => e.line === 7)!.message, /lies in municipality 1283, not in 1384/);
  assert.equal(s.imported, 2);
  assert.equal(s.skipped, 1);
  assert.equal(await countSource('test-small'), 2);
  const one = await t.ctx.db.selectFrom('cases').select(['description', 'closed_at', 'status']).where('external_source', '=', 'test-small').where('external_id', '=', '1').executeTakeFirstOrThrow();
  assert.equal(one.description, 'Lampan lyser inte,\nvid busshållplatsen');
  assert.equal(one.status, 'closed');
  assert.equal(one.closed_at, null);
});

test('Open311: a recorded JSON dump, an XML dump and a live server; idempotent on service_request_id', async () => {
  const mapping = parseMapArgument('coordinates=ignore,category.*=other');
  const json = await importCases(deps(), { source: await open311Source(BLOOMINGTON, mapping), municipalityCode: '1283', mapping });
  const total = JSON.parse(fs.readFileSync(BLOOMINGTON, 'utf8')).length;
  assert.equal(json.read, total);
  assert.equal(json.imported + json.errors.length, total);
  assert.ok(json.imported > 0);
  const xml = await importCases(deps(), { source: await open311Source(TORONTO_XML, mapping), municipalityCode: '1283', mapping });
  assert.ok(xml.imported > 0);
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/georeport/v2/requests.json' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/georeport/v2/requests.json' ? fs.readFileSync(BLOOMINGTON) : '[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const live = await importCases(deps(), { source: await open311Source(`http://127.0.0.1:${port}/georeport/v2/`, { ...mapping, source: 'open311:bloomington_requests.json' }), municipalityCode: '1283', mapping: { ...mapping, source: 'open311:bloomington_requests.json' } });
    assert.equal(live.imported, 0);
    assert.equal(live.skipped, json.imported);
  } finally {
    server.close();
  }
  const kase = await t.ctx.db.selectFrom('cases').select(['channel', 'municipality_code', 'lat']).where('external_source', '=', 'open311:bloomington_requests.json').executeTakeFirstOrThrow();
  assert.deepEqual(kase, { channel: 'open311', municipality_code: '1283', lat: null });
});

test('the CLI refuses bad arguments with exit code 2 before touching the database', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'import', NEW_HAVEN, '--municipality', '1384', '--map', 'id=Nope'], { encoding: 'utf8', env: { ...process.env, DATA_DIR: tmp } });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /no column "Nope"/);
  const none = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'import', '--municipality', '1384'], { encoding: 'utf8', env: { ...process.env, DATA_DIR: tmp } });
  assert.equal(none.status, 2);
});
