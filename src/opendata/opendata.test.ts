import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { sql } from 'kysely';
import { XMLParser } from 'fast-xml-parser';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { parseMapArgument } from '../import/mapping.js';
import { csvSource } from '../import/sources.js';
import { importCases } from '../import/service.js';
import { coarsen, redactText, REDACTED } from './redact.js';
import { exportChunks, exportFilter, FORMATS } from './service.js';

const NYC = '../shared/data-candidates/3_service_requests/milesquare-publicstuff/Collections/NYC_20190522.csv';
// Planted personal data: every variant must vanish from every export.
const CANARY = {
  emails: ['kalle.anka@example.se', 'Anna_Berg+felanmalan@kommun.example.com'],
  phones: ['070-123 45 67', '+46 70 123 45 67', '0046701234567', '08-123 456 78', '031/12 34 56', '(212) 555-0147', '+1 212 555 0147'],
  pnrs: ['19811218-9876', '811218-9876', '8112189876', '198112189876', '811278-9876'],
  reporter: { name: 'Reporter Canaryname', email: 'reporter.canary@example.org', phone: '0701112233' },
};

let t: TestContext;
let nycEmails = 0;
before(async () => {
  t = await createTestContext();
  const mapping = parseMapArgument('source=publicstuff-nyc,id=ID,category=Title,title=Title,description=Description,address=Address,created=Date Created,status=Status,' +
    'reporter_name=User,date_format=unix,coordinates=ignore,category.*=other,category.Pothole=pothole,category.Graffiti=graffiti,status.received=confirmed,' +
    'status.completed=fixed,status.in progress=in_progress,status.other=no_further_action');
  const s = await importCases({ ...t.ctx, pool: t.handle.pool }, { source: csvSource(NYC, mapping), municipalityCode: '1283', mapping });
  assert.ok(s.imported > 8000, formatErrors(s.errors));
  nycEmails = (fs.readFileSync(NYC, 'utf8').match(/[\w.+-]+@[\w-]+\.[\w.]+/g) ?? []).length;
  const planted = [...CANARY.emails, ...CANARY.phones, ...CANARY.pnrs].join(', ');
  await t.ctx.cases.createCase({
    service_code: 'graffiti', channel: 'web', location: { lat: 56.0465, lon: 12.6945, address: `Drottninggatan 1, ring ${CANARY.phones[0]}` },
    title: `Klotter, mejla ${CANARY.emails[0]}`, description: `Kontakta mig: ${planted}`, reporter: CANARY.reporter,
  });
  const confidential = await t.ctx.cases.createCase({
    service_code: 'pothole', channel: 'phone', location: { lat: 56.0470, lon: 12.6950 }, description: 'Hemlig adress, skyddad identitet', confidential: true, reporter: CANARY.reporter,
  });
  await t.ctx.cases.append(t.ctx.db, confidential.case, { kind: 'internal_note', visibility: 'internal', body: 'INTERNAL-NOTE-CANARY 19811218-9876' });
});
after(async () => t.close());

function formatErrors(errors: { line: number; field: string; message: string }[]): string {
  return errors.slice(0, 5).map((e) => `${e.line} ${e.field} ${e.message}`).join('\n');
}

async function exportText(format: 'csv' | 'geojson' | 'open311', query = ''): Promise<string> {
  const path = format === 'open311' ? 'cases.open311.json' : `cases.${format}`;
  const res = await t.app.inject(`/api/opendata/${path}${query}`);
  assert.equal(res.statusCode, 200, res.body.slice(0, 300));
  assert.match(res.headers.link as string, /publicdomain\/zero\/1\.0/);
  return res.body;
}

test('redaction: e-mail addresses, Swedish and international phone numbers, personnummer in every form', () => {
  for (const p of CANARY.pnrs) assert.equal(redactText(`pnr ${p}.`), `pnr ${REDACTED.pnr}.`, p);
  for (const p of CANARY.phones) assert.equal(redactText(`ring ${p} nu`), `ring ${REDACTED.phone} nu`, p);
  for (const e of CANARY.emails) assert.equal(redactText(`<${e}>`), `<${REDACTED.email}>`, e);
  const kept = 'Storgatan 12-14, 2019-05-22, 57.4873, lampa 4782, 50-51 98th St, NY 11208';
  assert.equal(redactText(kept), kept);
});

test('coarsening snaps to the centre of a ~500 m cell', () => {
  const a = coarsen(56.04651, 12.69451);
  const b = coarsen(56.04702, 12.69502);
  assert.deepEqual(a, b);
  assert.ok(Math.abs(a.lat - 56.04651) * 111_320 <= 360);
});

test('canary: no personal data anywhere in any export of the whole data set (NYC PublicStuff + planted cases)', async () => {
  assert.ok(nycEmails > 0, 'the NYC source itself contains e-mail addresses');
  const mailLike = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+\.[\p{L}]{2,}/u;
  for (const format of ['csv', 'geojson', 'open311'] as const) {
    const text = await exportText(format);
    for (const s of [...CANARY.emails, ...CANARY.phones, ...CANARY.pnrs, CANARY.reporter.name, CANARY.reporter.email, CANARY.reporter.phone, 'INTERNAL-NOTE-CANARY', 'Hemlig adress']) {
      assert.ok(!text.includes(s), `${format} contains ${s}`);
    }
    assert.doesNotMatch(text, mailLike, format);
    // Any remaining run of 9–12 digits (phone, personnummer) once separators are dropped, outside timestamps, ids and coordinates.
    const scrubbed = text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, '').replace(/[A-Z]{2,6}-\d{4}-\d{5,}/g, '').replace(/-?\d{1,3}\.\d{3,}/g, '');
    const digitRuns = scrubbed.match(/\+?\d[\d \-().\/]{7,}\d/g) ?? [];
    const suspicious = digitRuns.filter((r) => { const d = r.replace(/\D/g, ''); return d.length >= 9 && d.length <= 12; });
    assert.deepEqual(suspicious, [], `${format}: ${suspicious.slice(0, 5).join(' | ')}`);
    assert.ok(text.includes(REDACTED.email) && text.includes(REDACTED.phone) && text.includes(REDACTED.pnr), `${format} shows the markers`);
    assert.doesNotMatch(text, /reporter|Anonymous/i, format);
  }
});

test('GeoJSON is a valid FeatureCollection of points in WGS84 with the public properties only', async () => {
  const doc = JSON.parse(await exportText('geojson', '?municipality=1283'));
  assert.equal(doc.type, 'FeatureCollection');
  assert.ok(doc.features.length > 8000);
  for (const f of doc.features) {
    assert.equal(f.type, 'Feature');
    assert.equal(typeof f.properties.service_request_id, 'string');
    if (f.geometry !== null) {
      assert.equal(f.geometry.type, 'Point');
      const [lon, lat] = f.geometry.coordinates;
      assert.ok(lon > 10 && lon < 25 && lat > 55 && lat < 70);
    }
    assert.deepEqual(Object.keys(f.properties).filter((k) => /reporter|email|phone|attribute|media/.test(k)), []);
  }
  assert.ok(doc.features.some((f: { geometry: unknown }) => f.geometry !== null));
});

test('filters: municipality, period, service and state; bad filters name the field', async () => {
  const count = async (where: ReturnType<typeof sql>) => Number((await sql<{ n: number }>`select count(*)::int as n from cases c join services s on s.id = c.service_id where ${where}`.execute(t.ctx.db)).rows[0].n);
  const rows = async (q: string) => (await exportText('csv', q)).trim().split('\r\n').length - 1;
  assert.equal(await rows('?municipality=1283'), await count(sql`c.municipality_code = '1283'`));
  assert.equal(await rows('?municipality=1283&service=pothole,graffiti'), await count(sql`c.municipality_code = '1283' and s.service_code in ('pothole','graffiti')`));
  assert.equal(await rows('?state=closed'), await count(sql`c.status in ('fixed','closed','duplicate','forwarded','no_further_action')`));
  assert.equal(await rows('?state=fixed&municipality=1283'), await count(sql`c.status = 'fixed' and c.municipality_code = '1283'`));
  assert.equal(await rows('?from=2017-01-01&to=2017-12-31&municipality=1283'),
    await count(sql`c.municipality_code = '1283' and c.requested_at >= '2016-12-31T23:00:00Z' and c.requested_at < '2017-12-31T23:00:00Z'`));
  const open311 = JSON.parse(await exportText('open311', '?municipality=1283&state=fixed'));
  assert.ok(open311.length > 0 && open311.every((r: { status: string; closed_date: string; status_description: string; source: string }) =>
    r.status === 'closed' && r.status_description === 'Åtgärdat' && typeof r.source === 'string' && 'closed_date' in r));
  for (const [q, field] of [['?state=nope', 'state'], ['?from=2017-13-01', 'from'], ['?municipality=12', 'municipality'], ['?service=nope', 'service']]) {
    const res = await t.app.inject(`/api/opendata/cases.csv${q}`);
    assert.equal(res.statusCode, 400, q);
    assert.equal(res.json().error.field, field, q);
  }
});

test('sensitive categories and confidential cases: coarse point, no address; confidential text removed', async () => {
  await sql`update services set sensitive_location = true where service_code = 'graffiti'`.execute(t.ctx.db);
  try {
    const rows = JSON.parse(await exportText('open311', '?municipality=1283&service=graffiti,pothole&from=2026-01-01'));
    const graffiti = rows.find((r: { service_code: string; location_precision: string }) => r.service_code === 'graffiti' && r.location_precision !== 'none');
    assert.equal(graffiti.location_precision, 'coarsened_500m');
    assert.equal(graffiti.address, null);
    assert.notEqual(graffiti.lat, 56.0465);
    const secret = rows.find((r: { service_code: string; detailed_status: string; location_precision: string }) => r.service_code === 'pothole' && r.location_precision === 'coarsened_500m');
    assert.equal(secret.description, '');
  } finally {
    await sql`update services set sensitive_location = false where service_code = 'graffiti'`.execute(t.ctx.db);
  }
});

test('exports are produced batch by batch (streamed), not built as one string', async () => {
  const chunks: string[] = [];
  for await (const chunk of exportChunks(t.ctx.db, exportFilter({ municipality: '1283' }), FORMATS.csv)) chunks.push(chunk);
  assert.ok(chunks.length >= 10, `${chunks.length} chunks`);
});

test('DCAT-AP-SE description: catalogue, datasets, distributions, CC0 licence; JSON-LD and RDF/XML', async () => {
  const res = await t.app.inject('/api/opendata/catalog');
  assert.match(res.headers['content-type'] as string, /application\/ld\+json/);
  const cat = res.json();
  assert.equal(cat['@type'], 'dcat:Catalog');
  assert.equal(cat['@context'].dcat, 'http://www.w3.org/ns/dcat#');
  assert.equal(cat['dcterms:license']['@id'], 'http://creativecommons.org/publicdomain/zero/1.0/');
  const datasets = cat['dcat:dataset'];
  const hbg = datasets.find((d: { '@id': string }) => d['@id'].endsWith('/datasets/1283'));
  assert.ok(hbg, 'one dataset per municipality with cases');
  assert.deepEqual(hbg['dcterms:title'].map((x: { '@language': string }) => x['@language']), ['sv', 'en']);
  for (const key of ['dcterms:description', 'dcterms:publisher', 'dcat:contactPoint', 'dcat:theme', 'dcat:keyword', 'dcterms:temporal', 'dcterms:spatial', 'dcterms:accrualPeriodicity', 'dcterms:modified']) {
    assert.ok(hbg[key], key);
  }
  assert.equal(hbg['dcat:distribution'].length, 3);
  for (const d of hbg['dcat:distribution']) {
    assert.equal(d['@type'], 'dcat:Distribution');
    assert.match(d['dcat:accessURL']['@id'], /^http:\/\/ingang\.test\/api\/opendata\/cases\..*municipality=1283$/);
    assert.match(d['dcterms:format']['@id'], /file-type\/(CSV|GEOJSON|JSON)$/);
    assert.equal(d['dcterms:license']['@id'], 'http://creativecommons.org/publicdomain/zero/1.0/');
  }
  const rdf = await t.app.inject('/api/opendata/catalog.rdf');
  assert.match(rdf.headers['content-type'] as string, /application\/rdf\+xml/);
  const xml = new XMLParser({ ignoreAttributes: false }).parse(rdf.body);
  const catalog = xml['rdf:RDF']['dcat:Catalog'];
  assert.ok(catalog['dcat:dataset'].length >= 2);
  assert.equal(catalog['dcterms:license']['@_rdf:resource'], 'http://creativecommons.org/publicdomain/zero/1.0/');
  const negotiated = await t.app.inject({ url: '/api/opendata/catalog', headers: { accept: 'application/rdf+xml' } });
  assert.match(negotiated.body, /^<\?xml/);
});
