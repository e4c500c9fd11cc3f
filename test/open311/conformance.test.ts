import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { Open311Client, Open311Error, parseErrors, parseRequests, parseUpdates } from '../../src/open311/client.js';
import { counts, form, newKey, open311Validators, PLACES } from './helpers.js';

// The conformance probe: what a civic-app developer new to Ingång would try, in order, over real HTTP.
// discovery → services → definition → POST (XML and JSON, Swedish text) → token → GET by id → list
// filters → updates → errors. Each check is its own test so a failure names the step.

let t: TestContext;
let base: string;
let key: string;
let xml: Open311Client;
const v = open311Validators();
const state: { xmlId?: string; jsonId?: string; token?: string; updateId?: string } = {};

before(async () => {
  t = await createTestContext();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/open311/v2/`;
  key = await newKey(t.ctx, 'Konformanstest');
  xml = new Open311Client({ endpoint: base, jurisdiction_id: '1384', api_key: key, format: 'xml' });
});
after(async () => t.close());

const raw = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
const postForm = (path: string, fields: Record<string, string | string[]>) =>
  raw(path, { method: 'POST', body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const since = 'start_date=2026-01-01T00:00:00Z';

test('01 discovery.xml answers with an XML declaration and no namespace', async () => {
  const res = await raw('discovery.xml');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
  const body = await res.text();
  assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
  assert.doesNotMatch(body, /xmlns/);
});
test('02 discovery.json lists the endpoint with both formats', async () => {
  const doc = await (await raw('discovery.json')).json();
  assert.equal(doc.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.deepEqual(doc.endpoints[0].formats, ['text/xml', 'application/json']);
});
test('03 services.xml for Kungsbacka lists the catalogue (read without api_key)', async () => {
  const services = await new Open311Client({ endpoint: base, jurisdiction_id: '1384' }).services();
  assert.ok(services.length >= 15);
});
test('04 services.json is a bare array valid against the official schema', async () => {
  const res = await raw('services.json?jurisdiction_id=1384');
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(v.services(await res.json()), null);
});
test('05 every one of 290 kommunkoder can be asked: Norsjö (2417) and Kiruna (2584)', async () => {
  for (const code of ['2417', '2584']) {
    const services = await new Open311Client({ endpoint: base, jurisdiction_id: code }).services();
    assert.ok(services.length > 0, code);
  }
});
test('06 services in English with locale=en', async () => {
  const list = await (await raw('services.json?jurisdiction_id=1384&locale=en')).json();
  assert.ok(list.some((s: { service_name: string }) => s.service_name === 'Street light – broken lamp'));
});
test('07 metadata=true services have a definition with <attributes><attribute>', async () => {
  const def = await xml.definition('street_light');
  assert.ok(def.attributes.some((a) => a.code === 'is_dark' && a.required && a.values.length === 2));
});
test('08 service definition JSON is an object valid against the schema', async () => {
  assert.equal(v.definition(await (await raw('services/street_light.json?jurisdiction_id=1384')).json()), null);
});
test('09 attribute order values are unique positive integers', async () => {
  const def = await xml.definition('illegal_dumping');
  const orders = def.attributes.map((a) => a.order);
  assert.equal(new Set(orders).size, orders.length);
  assert.ok(orders.every((o) => o !== null && o > 0 && Number.isInteger(o)));
});
test('10 POST requests.xml (form, FixMyStreet style) with Swedish text answers a service_request_id', async () => {
  const answer = await xml.postRequest({
    service_code: 'street_light', lat: PLACES.kungsbacka.lat, long: PLACES.kungsbacka.long, 'attribute[is_dark]': 'yes', 'attribute[pole_number]': 'Ö-12',
    description: 'Titel: Mörk gata\r\n\r\nBeskrivning: Gatlamporna på Åvägen är släckta.\r\n\r\nSkickad via FixaMinGata', email: 'anna@example.se', first_name: 'Anna', last_name: '-',
  });
  assert.ok(answer.service_request_id);
  state.xmlId = answer.service_request_id!;
});
test('11 POST requests.json with JSON body answers an array of one, valid against the swagger definition', async () => {
  const res = await raw('requests.json', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: key, jurisdiction_id: '1984', service_code: 'full_bin', lat: PLACES.arboga.lat, long: PLACES.arboga.long, description: 'Papperskorgen vid ån är överfull – åäö' }),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(v.postAnswer(body), null);
  state.jsonId = body[0].service_request_id;
});
test('12 tokens/{token} resolves to the request id', async () => {
  const row = await t.ctx.db.selectFrom('cases').select('follow_token').where('public_id', '=', state.xmlId!).executeTakeFirstOrThrow();
  assert.equal(await xml.token(row.follow_token), state.xmlId);
});
test('13 GET requests/{id}.xml gives the request back, still as a list', async () => {
  const r = await xml.request(state.xmlId!);
  assert.equal(r?.service_request_id, state.xmlId);
  assert.equal(r?.status, 'open');
});
test('14 the Swedish description survives the round trip (CRLF as LF)', async () => {
  const r = await xml.request(state.xmlId!);
  assert.equal(r?.description, 'Titel: Mörk gata\n\nBeskrivning: Gatlamporna på Åvägen är släckta.\n\nSkickad via FixaMinGata');
});
test('15 times carry a zone (W3C-DTF)', async () => {
  const [r] = await (await raw(`requests/${state.xmlId}.json`)).json();
  assert.match(r.requested_datetime, /(Z|[+-]\d{2}:\d{2})$/);
  assert.match(r.expected_datetime, /(Z|[+-]\d{2}:\d{2})$/);
});
test('16 GET requests/{id}.json is valid against the official schema', async () => {
  assert.equal(v.requests(await (await raw(`requests/${state.jsonId}.json`)).json()), null);
});
test('17 XML and JSON of the same request carry the same data', async () => {
  const a = parseRequests(await (await raw(`requests/${state.xmlId}.xml`)).text());
  const b = parseRequests(await (await raw(`requests/${state.xmlId}.json`)).text());
  assert.deepEqual(a, b);
});
test('18 agency_responsible is the body after routing: a bin in Arboga goes to the joint waste committee', async () => {
  const [r] = await (await raw(`requests/${state.jsonId}.json`)).json();
  assert.equal(r.agency_responsible, 'Gemensamma avfallsnämnden Arboga–Köping–Kungsör');
});
test('19 no personal data in GET output', async () => {
  const body = await (await raw(`requests/${state.xmlId}.xml?extensions=true`)).text();
  assert.ok(!body.includes('anna@example.se') && !body.includes('Anna'));
});
test('20 list filter service_code', async () => {
  const list = await xml.requests({ service_code: 'street_light', start_date: '2026-01-01T00:00:00Z' });
  assert.ok(list.length > 0 && list.every((r) => r.service_code === 'street_light'));
});
test('21 list filter status=closed', async () => {
  const list = await xml.requests({ status: 'closed', start_date: '2026-01-01T00:00:00Z' });
  assert.ok(list.every((r) => r.status === 'closed'));
});
test('22 list filter start_date/end_date', async () => {
  const list = await xml.requests({ start_date: '2026-11-01T00:00:00+01:00', end_date: '2026-11-10T00:00:00+01:00' });
  assert.ok(list.every((r) => r.requested_datetime! >= new Date('2026-10-31T23:00:00Z') && r.requested_datetime! <= new Date('2026-11-09T23:00:00Z')));
});
test('23 service_request_id (comma list) overrides other filters', async () => {
  const list = await xml.requests({ service_request_id: `${state.xmlId}`, status: 'closed' });
  assert.equal(list.length, 1);
});
test('24 page and page_size', async () => {
  const one = await xml.requests({ page_size: '3', start_date: '2026-01-01T00:00:00Z' });
  const two = await xml.requests({ page_size: '3', page: '2', start_date: '2026-01-01T00:00:00Z' });
  assert.equal(one.length, 3);
  assert.ok(!two.some((r) => one.some((o) => o.service_request_id === r.service_request_id)));
});
test('25 lat+long+radius finds the new request', async () => {
  const list = await xml.requests({ lat: PLACES.kungsbacka.lat, long: PLACES.kungsbacka.long, radius: '200' });
  assert.ok(list.some((r) => r.service_request_id === state.xmlId));
});
test('26 bbox finds it too', async () => {
  const list = await xml.requests({ bbox: '12.0,57.4,12.2,57.6' });
  assert.ok(list.some((r) => r.service_request_id === state.xmlId));
});
test('27 default window lists the new request (last 90 days)', async () => {
  const list = await xml.requests();
  assert.ok(list.some((r) => r.service_request_id === state.xmlId));
});
test('28 extensions=true adds title, detailed_status, media_urls and notes', async () => {
  const [r] = await (await raw(`requests/${state.xmlId}.json?extensions=true`)).json();
  assert.equal(r.detailed_status, 'OPEN');
  assert.ok(Array.isArray(r.media_urls) && Array.isArray(r.notes));
});
test('29 POST servicerequestupdates.xml records a public update and returns our update_id', async () => {
  const id = await xml.postUpdate({ service_request_id: state.xmlId!, update_id: 'fms-100', updated_datetime: '2026-11-23T12:00:00+01:00', status: 'IN_PROGRESS', description: 'Vi är på väg – åäö', last_name: '-' });
  assert.ok(id);
  state.updateId = id!;
});
test('30 posting the same update_id again is idempotent', async () => {
  const id = await xml.postUpdate({ service_request_id: state.xmlId!, update_id: 'fms-100', updated_datetime: '2026-11-23T12:00:00+01:00', status: 'IN_PROGRESS', description: 'Vi är på väg – åäö' });
  assert.equal(id, state.updateId);
});
test('31 the update moved the case and shows in GET servicerequestupdates', async () => {
  const updates = await xml.updates({ start: new Date(Date.now() - 3600_000), end: new Date() });
  const mine = updates.find((u) => u.update_id === state.updateId);
  assert.equal(mine?.status, 'in_progress');
  assert.equal(mine?.service_request_id, state.xmlId);
});
test('32 servicerequestupdates.json is a bare array with the same data', async () => {
  const body = await (await raw(`servicerequestupdates.json?jurisdiction_id=1384&start_date=${new Date(Date.now() - 3600_000).toISOString()}`)).text();
  assert.ok(Array.isArray(JSON.parse(body)));
  assert.ok(parseUpdates(body).some((u) => u.update_id === state.updateId));
});
test('33 error: POST without api_key → 403 <errors><error>', async () => {
  const res = await postForm('requests.xml', { jurisdiction_id: '1384', service_code: 'street_light', ...PLACES.kungsbacka });
  assert.equal(res.status, 403);
  assert.match(parseErrors(await res.text())[0].description, /api_key/);
});
test('34 error: wrong api_key → 403 in JSON form', async () => {
  const res = await postForm('requests.json', { api_key: 'fel', jurisdiction_id: '1384', service_code: 'street_light', ...PLACES.kungsbacka });
  assert.equal(res.status, 403);
  assert.equal(v.errors(await res.json()), null);
});
test('35 error: unknown jurisdiction → 404', async () => {
  const res = await raw('services.xml?jurisdiction_id=0001');
  assert.equal(res.status, 404);
  assert.match(parseErrors(await res.text())[0].description, /jurisdiction_id/);
});
test('36 error: missing required attribute → 400 naming attribute[is_dark]', async () => {
  await assert.rejects(xml.postRequest({ service_code: 'street_light', ...PLACES.kungsbacka }), (e: Open311Error) => e.status === 400 && /attribute\[is_dark\]/.test(e.errors[0].description));
});
test('37 error: a point outside the jurisdiction → 400 naming lat', async () => {
  await assert.rejects(xml.postRequest({ service_code: 'street_light', ...PLACES.helsingborg, 'attribute[is_dark]': 'no' }), (e: Open311Error) => e.status === 400 && /lat/.test(e.errors[0].description));
});
test('38 error: unknown request id → 404', async () => {
  await assert.rejects(xml.request('KGS-1999-00000'), (e: Open311Error) => e.status === 404);
});
test('39 error: bad start_date → 400 naming start_date', async () => {
  await assert.rejects(xml.requests({ start_date: 'igår' }), (e: Open311Error) => e.status === 400 && /start_date/.test(e.errors[0].description));
});
test('40 rejected POSTs stored nothing', async () => {
  const before = await counts(t.ctx);
  await postForm('requests.xml', { api_key: key, jurisdiction_id: '1384', service_code: 'street_light', ...PLACES.kungsbacka, description: '<b>html</b>', 'attribute[is_dark]': 'yes' });
  await postForm('requests.xml', { api_key: key, jurisdiction_id: '1384', service_code: 'pothole', lat: '91', long: '12' });
  assert.deepEqual(await counts(t.ctx), before);
});
test('41 the OpenAPI description at /docs covers the Open311 API', async () => {
  const doc = await (await fetch(base.replace('/open311/v2/', '/docs/json'))).json();
  assert.equal(Object.keys(doc.paths).filter((p) => p.startsWith('/open311/v2/')).length, 14, '7 resources × 2 formats');
});
