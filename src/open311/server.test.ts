import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { counts, form, FORM, newKey, open311Validators, PLACES } from '../../test/open311/helpers.js';
import { parseRequests, parseServices, parseDefinition, parseErrors, parseUpdates } from './client.js';

let t: TestContext;
let key: string;
const v = open311Validators();

before(async () => {
  t = await createTestContext();
  key = await newKey(t.ctx);
});
after(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const post = (url: string, fields: Record<string, string | string[]>) => t.app.inject({ method: 'POST', url, headers: FORM, payload: form(fields) });

test('services: JSON is a bare array valid against the official schema; XML has the same services', async () => {
  const json = await get('/open311/v2/services.json?jurisdiction_id=1984');
  assert.equal(json.statusCode, 200);
  assert.match(String(json.headers['content-type']), /^application\/json; charset=utf-8/);
  assert.equal(v.services(json.json()), null);
  const xml = await get('/open311/v2/services.xml?jurisdiction_id=1984');
  assert.match(String(xml.headers['content-type']), /^text\/xml; charset=utf-8/);
  assert.match(xml.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<services>/);
  assert.doesNotMatch(xml.body, /xmlns/);
  assert.deepEqual(parseServices(xml.body), parseServices(json.body));
  const codes = json.json().map((s: { service_code: string }) => s.service_code);
  assert.ok(codes.includes('street_light') && codes.includes('full_bin'), 'every municipality offers the catalogue through its own responsibility');
  const light = json.json().find((s: { service_code: string }) => s.service_code === 'street_light');
  assert.equal(light.metadata, true);
  assert.equal(light.service_name, 'Gatubelysning – trasig lampa');
  const en = (await get('/open311/v2/services.json?jurisdiction_id=1984&locale=en')).json();
  assert.equal(en.find((s: { service_code: string }) => s.service_code === 'street_light').service_name, 'Street light – broken lamp');
});

test('service definition: an object valid against the schema, the same in XML, with list values', async () => {
  const json = await get('/open311/v2/services/illegal_dumping.json?jurisdiction_id=1984');
  assert.equal(json.statusCode, 200);
  assert.equal(v.definition(json.json()), null);
  const xml = await get('/open311/v2/services/illegal_dumping.xml?jurisdiction_id=1984');
  assert.match(xml.body, /<service_definition>[\s\S]*<attributes>\s*<attribute>[\s\S]*<values>\s*<value>\s*<key>furniture<\/key>/);
  assert.deepEqual(parseDefinition(xml.body), parseDefinition(json.body));
  const waste = json.json().attributes.find((a: { code: string }) => a.code === 'waste_types');
  assert.equal(waste.datatype, 'multivaluelist');
  const missing = await get('/open311/v2/services/nope.xml?jurisdiction_id=1984');
  assert.equal(missing.statusCode, 404);
  assert.match(parseErrors(missing.body)[0].description, /service_code nope/);
});

test('POST a form with attribute[code][] lists: the case is routed to the joint waste committee, found again in both formats', async () => {
  const res = await post('/open311/v2/requests.xml', {
    api_key: key, jurisdiction_id: '1984', service_code: 'illegal_dumping', ...PLACES.arboga,
    'attribute[waste_types][]': ['furniture', 'electronics'], 'attribute[hazardous]': 'no',
    description: 'Någon har dumpat en soffa och en tv vid ån.\r\nFoto finns.', email: 'Åsa.Öberg@example.se', first_name: 'Åsa', last_name: 'Öberg',
    phone: '070-123 45 67', device_id: 'device-77', account_id: 'acct-9',
  });
  assert.equal(res.statusCode, 200, res.body);
  const [answer] = parseRequests(res.body);
  assert.match(answer.service_request_id, /^[A-Z]+-\d{4}-\d{5}$/);
  const kase = await t.ctx.db.selectFrom('cases').selectAll().where('public_id', '=', answer.service_request_id).executeTakeFirstOrThrow();
  assert.equal(kase.channel, 'open311');
  assert.deepEqual(kase.attributes, { waste_types: ['furniture', 'electronics'], hazardous: 'no' });
  assert.equal(kase.description, 'Någon har dumpat en soffa och en tv vid ån.\nFoto finns.');

  const json = await get(`/open311/v2/requests/${answer.service_request_id}.json?jurisdiction_id=1984`);
  assert.equal(json.statusCode, 200);
  assert.equal(v.requests(json.json()), null);
  const [one] = json.json();
  assert.equal(one.agency_responsible, 'Gemensamma avfallsnämnden Arboga–Köping–Kungsör');
  assert.equal(one.status, 'open');
  assert.match(one.requested_datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
  const xml = await get(`/open311/v2/requests/${answer.service_request_id}.xml?jurisdiction_id=1984`);
  assert.deepEqual(parseRequests(xml.body), parseRequests(json.body));
  for (const body of [json.body, xml.body]) {
    for (const secret of ['Öberg', 'berg@example', '070-123', 'device-77', 'acct-9']) assert.ok(!body.includes(secret), `no ${secret} in GET output`);
  }
});

test('POST JSON (a convenience) with Swedish text and a nested attribute object', async () => {
  const res = await t.app.inject({
    method: 'POST', url: '/open311/v2/requests.json',
    payload: { api_key: key, jurisdiction_id: '1384', service_code: 'street_light', lat: 57.487, long: 12.076, attribute: { is_dark: 'yes' }, description: 'Hela gatan är mörk – åäö ÅÄÖ' },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(v.postAnswer(res.json()), null);
  const id = res.json()[0].service_request_id;
  const [one] = (await get(`/open311/v2/requests/${id}.json`)).json();
  assert.equal(one.description, 'Hela gatan är mörk – åäö ÅÄÖ');
  assert.equal(one.service_code, 'street_light');
});

test('bad input: a spec-form error naming the field, in both formats, with the right status, and nothing stored', async () => {
  const base = { api_key: key, jurisdiction_id: '1384', service_code: 'street_light', ...PLACES.kungsbacka, 'attribute[is_dark]': 'yes' };
  const cases: [string, Record<string, string | string[]>, number, RegExp][] = [
    ['missing api_key', { ...base, api_key: '' }, 403, /api_key/],
    ['wrong api_key', { ...base, api_key: 'ing_nope' }, 403, /api_key/],
    ['missing jurisdiction', { ...base, jurisdiction_id: '' }, 400, /jurisdiction_id/],
    ['unknown jurisdiction', { ...base, jurisdiction_id: '9999' }, 404, /jurisdiction_id/],
    ['missing service_code', { ...base, service_code: '' }, 400, /service_code/],
    ['unknown service_code', { ...base, service_code: 'ufo' }, 400, /service_code/],
    ['no location', { ...base, lat: '', long: '' }, 400, /lat/],
    ['only address_id', { ...base, lat: '', long: '', address_id: 'A-17' }, 400, /address_id/],
    ['lat without long', { ...base, long: '' }, 400, /long/],
    ['lat not a number', { ...base, lat: 'north' }, 400, /lat/],
    ['point in another municipality', { ...base, ...PLACES.helsingborg }, 400, /lat/],
    ['required attribute missing', { ...base, 'attribute[is_dark]': '' }, 400, /attribute\[is_dark\]/],
    ['value not allowed', { ...base, 'attribute[is_dark]': 'maybe' }, 400, /attribute\[is_dark\]/],
    ['unknown attribute', { ...base, 'attribute[colour]': 'red' }, 400, /attribute\[colour\]/],
    ['HTML in description', { ...base, description: '<script>x</script>' }, 400, /description/],
    ['description too long', { ...base, description: 'å'.repeat(4001) }, 400, /description/],
    ['bad e-mail', { ...base, email: 'not-an-email' }, 400, /email/],
    ['bad media_url', { ...base, media_url: 'javascript:alert(1)' }, 400, /media_url/],
  ];
  const before = await counts(t.ctx);
  for (const [label, fields, status, field] of cases) {
    for (const format of ['xml', 'json'] as const) {
      const res = await post(`/open311/v2/requests.${format}`, fields);
      assert.equal(res.statusCode, status, `${label} (${format}): ${res.body}`);
      const errors = parseErrors(res.body);
      assert.equal(errors.length, 1, label);
      assert.match(errors[0].description, field, `${label} (${format}) names the field`);
      if (format === 'json') assert.equal(v.errors(res.json()), null);
      else assert.match(res.body, /^<\?xml[^>]*>\n<errors>\s*<error>\s*<code>\d{3}<\/code>\s*<description>/);
    }
  }
  assert.deepEqual(await counts(t.ctx), before, 'a rejected POST stores nothing');
});

test('GET errors: unknown jurisdiction 404, bad filters 400, unknown resource 404, all in spec form', async () => {
  const checks: [string, number, RegExp][] = [
    ['/open311/v2/services.xml?jurisdiction_id=0000', 404, /jurisdiction_id/],
    ['/open311/v2/services.json?jurisdiction_id=abc', 400, /jurisdiction_id/],
    ['/open311/v2/requests.json?start_date=yesterday', 400, /start_date/],
    ['/open311/v2/requests.xml?status=pending', 400, /status/],
    ['/open311/v2/requests.xml?bbox=1,2,3', 400, /bbox/],
    ['/open311/v2/requests.json?page_size=5000', 400, /page_size/],
    ['/open311/v2/requests.json?service_code=ufo', 400, /service_code/],
    ['/open311/v2/requests/NOPE-2026-00001.json', 404, /NOPE/],
    ['/open311/v2/tokens/not-a-token.xml', 404, /token/],
    ['/open311/v2/nothing.xml', 404, /nothing/],
  ];
  for (const [url, status, field] of checks) {
    const res = await get(url);
    assert.equal(res.statusCode, status, `${url}: ${res.body}`);
    assert.match(parseErrors(res.body)[0].description, field, url);
  }
});

test('list filters: service_code, status, bbox, radius, dates, paging and extensions', async () => {
  const since = '2026-01-01T00:00:00Z';
  const all = (await get(`/open311/v2/requests.json?jurisdiction_id=1283&start_date=${since}`)).json();
  assert.ok(all.length > 10);
  assert.equal(v.requests(all), null);
  const lights = (await get(`/open311/v2/requests.json?jurisdiction_id=1283&start_date=${since}&service_code=street_light,pothole`)).json();
  assert.ok(lights.length > 0 && lights.every((r: { service_code: string }) => ['street_light', 'pothole'].includes(r.service_code)));
  const closed = (await get(`/open311/v2/requests.json?jurisdiction_id=1283&start_date=${since}&status=closed`)).json();
  assert.ok(closed.every((r: { status: string }) => r.status === 'closed'));
  const page1 = (await get(`/open311/v2/requests.json?jurisdiction_id=1283&start_date=${since}&page_size=5`)).json();
  const page2 = (await get(`/open311/v2/requests.json?jurisdiction_id=1283&start_date=${since}&page_size=5&page=2`)).json();
  assert.equal(page1.length, 5);
  assert.notDeepEqual(page1.map((r: { service_request_id: string }) => r.service_request_id), page2.map((r: { service_request_id: string }) => r.service_request_id));
  const box = (await get(`/open311/v2/requests.json?start_date=${since}&bbox=12.6,56.0,12.8,56.1`)).json();
  assert.ok(box.every((r: { lat: number | null; long: number | null }) => r.lat === null || (r.lat >= 56 && r.lat <= 56.1 && r.long! >= 12.6 && r.long! <= 12.8)));
  const near = (await get(`/open311/v2/requests.json?start_date=${since}&lat=56.0465&long=12.6945&radius=5000`)).json();
  assert.ok(near.length > 0);
  const byIds = (await get(`/open311/v2/requests.json?service_request_id=${all[0].service_request_id},${all[1].service_request_id}&status=closed&service_code=noise`)).json();
  assert.equal(byIds.length, 2, 'service_request_id overrides the other filters');
  const ext = (await get(`/open311/v2/requests.json?jurisdiction_id=1283&start_date=${since}&extensions=true&page_size=50`)).json();
  assert.equal(v.requests(ext), null);
  assert.ok(ext.every((r: { detailed_status: string; notes: unknown[]; media_urls: unknown[] }) => r.detailed_status && Array.isArray(r.notes) && Array.isArray(r.media_urls)));
  const xml = await get(`/open311/v2/requests.xml?jurisdiction_id=1283&start_date=${since}&extensions=true&page_size=50`);
  assert.deepEqual(parseRequests(xml.body), parseRequests(JSON.stringify(ext)));
  const updatedWindow = (await get(`/open311/v2/requests.json?jurisdiction_id=1283&updated_after=2026-11-01T00:00:00Z&updated_before=2026-12-01T00:00:00Z`)).json();
  assert.ok(updatedWindow.every((r: { updated_datetime: string }) => new Date(r.updated_datetime) > new Date('2026-11-01T00:00:00Z')));
});

test('servicerequestupdates: POST is a public event, idempotent on update_id, moves the state when allowed; the feed shows it', async () => {
  const created = await post('/open311/v2/requests.json', { api_key: key, jurisdiction_id: '1384', service_code: 'street_light', ...PLACES.kungsbacka, 'attribute[is_dark]': 'no' });
  const id = created.json()[0].service_request_id;
  const update = { api_key: key, service_request_id: id, update_id: 'fms-1', updated_datetime: '2026-11-23T10:00:00+01:00', status: 'IN_PROGRESS', description: 'Vi har skickat en elektriker.', first_name: 'Åke', last_name: '-' };
  const first = await post('/open311/v2/servicerequestupdates.xml', update);
  assert.equal(first.statusCode, 200, first.body);
  const again = await post('/open311/v2/servicerequestupdates.xml', update);
  assert.equal(parseUpdates(again.body)[0].update_id, parseUpdates(first.body)[0].update_id, 'the same update_id gives the same update');
  const kase = await t.ctx.db.selectFrom('cases').select(['id', 'status']).where('public_id', '=', id).executeTakeFirstOrThrow();
  assert.equal(kase.status, 'in_progress');
  const fixed = await post('/open311/v2/servicerequestupdates.json', { ...update, update_id: 'fms-2', status: 'FIXED', description: 'Lampan är bytt.' });
  assert.equal(fixed.statusCode, 200);
  const notAllowed = await post('/open311/v2/servicerequestupdates.json', { ...update, update_id: 'fms-3', status: 'INVESTIGATING', description: 'Fel lampa?' });
  assert.equal(notAllowed.statusCode, 200, 'a status the transitions table forbids is still recorded as a comment');
  assert.equal((await t.ctx.db.selectFrom('cases').select('status').where('id', '=', kase.id).executeTakeFirstOrThrow()).status, 'fixed');
  const events = await t.ctx.db.selectFrom('case_events').select(['kind', 'external_update_id', 'visibility']).where('case_id', '=', kase.id).where('external_update_id', 'is not', null).execute();
  assert.equal(events.length, 3);
  assert.ok(events.every((e) => e.visibility === 'public'));

  const feed = await get(`/open311/v2/servicerequestupdates.xml?jurisdiction_id=1384&api_key=&start_date=2026-01-01T00:00:00Z&end_date=2030-01-01T00:00:00Z`);
  assert.equal(feed.statusCode, 200, feed.body);
  const mine = parseUpdates(feed.body).filter((u) => u.service_request_id === id);
  assert.deepEqual(mine.map((u) => u.status), ['in_progress', 'fixed', 'fixed']);
  assert.equal(mine[0].description, 'Vi har skickat en elektriker.');
  assert.ok(!feed.body.includes('Åke'));
  const json = (await get(`/open311/v2/servicerequestupdates.json?service_request_id=${id}&start_date=2026-01-01T00:00:00Z&end_date=2030-01-01T00:00:00Z`)).json();
  assert.deepEqual(json.map((u: { update_id: string }) => u.update_id), mine.map((u) => u.update_id));

  const errs: [Record<string, string>, number, RegExp][] = [
    [{ ...update, api_key: '' }, 403, /api_key/],
    [{ ...update, update_id: '' }, 400, /update_id/],
    [{ ...update, status: 'SOLVED' }, 400, /status/],
    [{ ...update, updated_datetime: 'igår' }, 400, /updated_datetime/],
    [{ ...update, service_request_id: 'KGS-1999-99999' }, 404, /KGS-1999-99999/],
  ];
  for (const [fields, status, field] of errs) {
    const res = await post('/open311/v2/servicerequestupdates.xml', fields);
    assert.equal(res.statusCode, status, res.body);
    assert.match(parseErrors(res.body)[0].description, field);
  }
  const otherKey = await newKey(t.ctx, 'Annan app');
  const foreign = await post('/open311/v2/servicerequestupdates.xml', { ...update, api_key: otherKey, update_id: 'x-1' });
  assert.equal(foreign.statusCode, 403, 'a key may only update requests it created or its organisation handles');
});

test('tokens resolve to the request id; discovery in both formats', async () => {
  const kase = await t.ctx.db.selectFrom('cases').select(['public_id', 'follow_token']).where('confidential', '=', false).limit(1).executeTakeFirstOrThrow();
  const res = await get(`/open311/v2/tokens/${kase.follow_token}.json`);
  assert.equal(res.statusCode, 200);
  assert.equal(v.tokenAnswer(res.json()), null);
  assert.equal(res.json()[0].service_request_id, kase.public_id);
  const disc = (await get('/open311/v2/discovery.json')).json();
  assert.equal(disc.endpoints[0].url, 'http://ingang.test/open311/v2/');
  assert.deepEqual(disc.endpoints[0].formats, ['text/xml', 'application/json']);
  const xml = await get('/open311/v2/discovery.xml');
  assert.match(xml.body, /<discovery>[\s\S]*<endpoints>\s*<endpoint>[\s\S]*<format>text\/xml<\/format>/);
});

test('per-key rate limit answers 429 in spec form', async () => {
  const slow = await newKey(t.ctx, 'Långsam app', { rateLimitPerMinute: 2 });
  const url = `/open311/v2/services.xml?jurisdiction_id=1384&api_key=${slow}`;
  assert.equal((await get(url)).statusCode, 200);
  assert.equal((await get(url)).statusCode, 200);
  const limited = await get(url);
  assert.equal(limited.statusCode, 429);
  assert.ok(limited.headers['retry-after']);
  assert.match(parseErrors(limited.body)[0].description, /api_key/);
});

test('the Open311 routes are in the OpenAPI description', async () => {
  const doc = (await get('/docs/json')).json();
  for (const p of ['/open311/v2/requests.xml', '/open311/v2/requests.json', '/open311/v2/servicerequestupdates.xml', '/open311/v2/services/{service_code}.json']) {
    assert.ok(doc.paths[p], `${p} documented`);
  }
});
