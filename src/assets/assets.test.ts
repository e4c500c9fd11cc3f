import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../../test/helpers/context.js';
import { seededRandom } from '../seed/geometry.js';
import { wgs84ToSweref } from '../geo/sweref.js';
import { AssetImportError, importAssets, parseMapping } from './import.js';
import { openCasesOnAsset, resolveAssetForCase } from './service.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

/** Points inside a municipality, using the routing index the app routes by. */
function pointsIn(code: string, n: number, seed: number): { lat: number; lon: number }[] {
  const random = seededRandom(seed);
  const area = t.ctx.routing.areaIndex.byKind('municipality').find((a) => a.code === code)!;
  const out: { lat: number; lon: number }[] = [];
  while (out.length < n) {
    const lon = Math.round((area.bbox[0] + random() * (area.bbox[2] - area.bbox[0])) * 1e6) / 1e6;
    const lat = Math.round((area.bbox[1] + random() * (area.bbox[3] - area.bbox[1])) * 1e6) / 1e6;
    if (t.ctx.routing.areaIndex.municipalityAt(lon, lat)?.code === code) out.push({ lat, lon });
  }
  return out;
}

async function orgId(slug: string): Promise<number> {
  return (await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

async function assetCount(organisationId: number): Promise<number> {
  const row = await t.ctx.db.selectFrom('assets').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_id', '=', organisationId).executeTakeFirstOrThrow();
  return Number(row.n);
}

const LIGHTS = 3000;
function lightsCsv(points: { lat: number; lon: number }[], wattage = 36): string {
  const lines = ['stolpnr,N_wgs,E_wgs,entreprenor,armatur,effekt'];
  points.forEach((p, i) => lines.push(`HBG-L-${10000 + i},${p.lat},${p.lon},ljusdrift,LED,${i === 7 ? wattage : 36}`));
  return lines.join('\n');
}

test('imports a few thousand generated street lights for Helsingborg; importing again changes nothing', async () => {
  const helsingborg = await orgId('kommun-1283');
  const points = pointsIn('1283', LIGHTS, 1283);
  const mapping = parseMapping('code=stolpnr,lat=N_wgs,lon=E_wgs,responsible=entreprenor');
  const phases = new Set<string>();
  const first = await importAssets(t.ctx.db, {
    organisationId: helsingborg, text: lightsCsv(points), format: 'csv', mapping, defaultType: 'street_light',
    onProgress: (phase) => phases.add(phase),
  });
  assert.deepEqual({ ...first }, { total: LIGHTS, inserted: LIGHTS, updated: 0, unchanged: 0, crs: 'EPSG:4326' });
  assert.deepEqual([...phases].sort(), ['validate', 'write']);
  const again = await importAssets(t.ctx.db, { organisationId: helsingborg, text: lightsCsv(points), format: 'csv', mapping, defaultType: 'street_light' });
  assert.deepEqual({ inserted: again.inserted, updated: again.updated, unchanged: again.unchanged }, { inserted: 0, updated: 0, unchanged: LIGHTS });
  const changed = await importAssets(t.ctx.db, { organisationId: helsingborg, text: lightsCsv(points, 50), format: 'csv', mapping, defaultType: 'street_light' });
  assert.equal(changed.updated, 1);
  const pole = await t.ctx.db.selectFrom('assets').selectAll().where('organisation_id', '=', helsingborg).where('code', '=', 'HBG-L-10007').executeTakeFirstOrThrow();
  assert.equal(pole.responsible_organisation_id, await orgId('ljusdrift'));
  assert.deepEqual(pole.attributes, { armatur: 'LED', effekt: '50' });
  assert.equal(pole.lat, points[7].lat);
});

test('a citizen report on a pole goes to the lighting contractor responsible for it, and shows on the pole', async () => {
  const resolved = await resolveAssetForCase(t.ctx.db, { code: 'HBG-L-11234', organisationHint: '1283', serviceCode: 'street_light' });
  assert.match(resolved.routing_override!.explanation_sv, /^Helsingborg, Gatubelysning → Ljusdrift Öresund AB, ansvarig för stolpe HBG-L-11234$/);
  assert.match(resolved.routing_override!.explanation_en, /responsible for pole HBG-L-11234/);
  const { case: kase, decision } = await t.ctx.cases.createCase({
    service_code: 'street_light', channel: 'web', location: resolved.location, attributes: { is_dark: 'no' },
    description: 'Lampan är släckt', asset_id: resolved.asset_id, routing_override: resolved.routing_override,
  });
  assert.equal(kase.organisation_id, await orgId('ljusdrift'));
  assert.equal(kase.asset_id, resolved.asset_id);
  assert.match(decision.explanation_sv, /Ljusdrift Öresund AB, ansvarig för stolpe HBG-L-11234/);
  const plain = await t.ctx.cases.createCase({ service_code: 'street_light', channel: 'web', location: resolved.location, attributes: { is_dark: 'no' } });
  assert.equal(plain.case.organisation_id, await orgId('kommun-1283'), 'without the pole the area decides');

  const open = await openCasesOnAsset(t.ctx.db, resolved.asset_id);
  assert.deepEqual(open.map((c) => c.public_id), [kase.public_id]);
  const graffiti = await resolveAssetForCase(t.ctx.db, { code: 'HBG-L-11234', serviceCode: 'graffiti' });
  assert.equal(graffiti.routing_override, null, 'graffiti on a pole is not the lighting contractor’s');

  for (const email of ['handler@helsingborg.demo', 'contractor@ljusdrift.demo']) {
    const headers = await signIn(t.app, email);
    const page = await t.app.inject({ url: `/api/assets/${resolved.asset_id}`, headers });
    assert.equal(page.statusCode, 200, page.body);
    assert.equal(page.json().asset.code, 'HBG-L-11234');
    assert.equal(page.json().open_cases, 1);
    assert.deepEqual(page.json().cases.map((c: { public_id: string }) => c.public_id), [kase.public_id]);
  }
  const other = await t.app.inject({ url: `/api/assets/${resolved.asset_id}`, headers: await signIn(t.app, 'handler@koping.demo') });
  assert.equal(other.statusCode, 404, 'another municipality does not see the pole');
  await assert.rejects(resolveAssetForCase(t.ctx.db, { code: 'NO-SUCH-POLE' }), (e: { code: string; field: string }) => e.code === 'unknown_asset' && e.field === 'asset_code');
});

test('bad imports are reported by line and nothing partial is stored', async () => {
  const karlskrona = await orgId('kommun-1080');
  const before = await assetCount(karlskrona);
  const [p] = pointsIn('1080', 1, 1080);
  const csv = [
    'code,type,lat,lon',
    `KRN-1,street_light,${p.lat},${p.lon}`,
    `,street_light,${p.lat},${p.lon}`,
    `KRN-3,street_light,${p.lat},${p.lon}`,
    `KRN-4,street_light,abc,${p.lon}`,
    `KRN-5,street_light,40.0,${p.lon}`,
    `KRN-6,lamp_post,${p.lat},${p.lon}`,
    `KRN-3,bench,${p.lat},${p.lon}`,
  ].join('\n');
  await assert.rejects(importAssets(t.ctx.db, { organisationId: karlskrona, text: csv, format: 'csv' }), (e: unknown) => {
    assert.ok(e instanceof AssetImportError);
    assert.deepEqual(e.problems.map((x) => [x.line, x.field]), [[3, 'code'], [5, 'coordinates'], [6, 'coordinates'], [7, 'type'], [8, 'code']]);
    assert.match(e.problems[3].message, /unknown type "lamp_post"/);
    assert.match(e.problems[4].message, /repeats line 4/);
    return true;
  });
  assert.equal(await assetCount(karlskrona), before, 'nothing of the good rows was stored');
  const geo = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'KRN-G1', type: 'bench' }, geometry: null }] };
  await assert.rejects(importAssets(t.ctx.db, { organisationId: karlskrona, text: JSON.stringify(geo), format: 'geojson' }),
    (e: unknown) => e instanceof AssetImportError && e.problems[0].feature === 1 && /geometry is missing/.test(e.problems[0].message));
});

test('imports GeoJSON in SWEREF 99 TM (EPSG:3006), points and lines, stored in WGS84', async () => {
  const koping = await orgId('kommun-1983');
  const points = pointsIn('1983', 3, 1983);
  const sweref = points.map((p) => wgs84ToSweref(p.lat, p.lon));
  const doc = {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3006' } },
    features: [
      { type: 'Feature', properties: { kod: 'KPG-B-1', typ: 'bench', material: 'wood' }, geometry: { type: 'Point', coordinates: [sweref[0].easting, sweref[0].northing] } },
      { type: 'Feature', properties: { kod: 'KPG-G-1', typ: 'road_segment' }, geometry: { type: 'LineString', coordinates: sweref.map((s) => [s.easting, s.northing]) } },
    ],
  };
  const summary = await importAssets(t.ctx.db, { organisationId: koping, text: JSON.stringify(doc), format: 'geojson' });
  assert.equal(summary.crs, 'EPSG:3006');
  assert.equal(summary.inserted, 2);
  const bench = await t.ctx.db.selectFrom('assets').selectAll().where('organisation_id', '=', koping).where('code', '=', 'KPG-B-1').executeTakeFirstOrThrow();
  assert.ok(Math.abs(bench.lat - points[0].lat) < 1e-6 && Math.abs(bench.lon - points[0].lon) < 1e-6, `${bench.lat},${bench.lon}`);
  assert.deepEqual(bench.attributes, { material: 'wood' });
  const road = await t.ctx.db.selectFrom('assets').selectAll().where('organisation_id', '=', koping).where('code', '=', 'KPG-G-1').executeTakeFirstOrThrow();
  const line = road.geometry as { type: string; coordinates: number[][] };
  assert.equal(line.type, 'LineString');
  assert.ok(Math.abs(line.coordinates[2][1] - points[2].lat) < 1e-6);
  const wrong = await importAssets(t.ctx.db, { organisationId: koping, text: JSON.stringify({ ...doc, crs: undefined }), format: 'geojson', crs: 'EPSG:4326' }).catch((e) => e);
  assert.ok(wrong instanceof AssetImportError && wrong.problems.every((x) => x.field === 'coordinates'), 'SWEREF numbers read as WGS84 are bad coordinates');
});

test('maps: the public layer shows assets in use of the chosen category; staff see their own', async () => {
  const bbox = '12.68,56.035,12.71,56.055';
  const res = await t.app.inject({ url: `/api/public/assets?bbox=${bbox}&service_code=street_light` });
  assert.equal(res.statusCode, 200, res.body);
  const fc = res.json();
  assert.equal(fc.type, 'FeatureCollection');
  const codes = fc.features.map((f: { properties: { code: string } }) => f.properties.code);
  assert.ok(codes.includes('HBG-L-00123') && codes.includes('HBG-BS-017'), 'demo lights and cabinet');
  assert.ok(!codes.includes('HBG-LEK-031'), 'a playground is not a street light');
  assert.deepEqual(Object.keys(fc.features[0].properties).sort(), ['code', 'name', 'type', 'type_name_en', 'type_name_sv']);
  assert.equal(fc.features[0].geometry.type, 'Point');
  const tooWide = await t.app.inject({ url: '/api/public/assets?bbox=10,55,20,60&service_code=street_light' });
  assert.equal(tooWide.statusCode, 400);
  assert.equal(tooWide.json().error.field, 'bbox');

  const headers = await signIn(t.app, 'handler@helsingborg.demo');
  const created = await t.app.inject({ method: 'POST', url: '/api/assets', headers, payload: { type: 'bench', code: 'HBG-B-1', lat: 56.045, lon: 12.695, name: 'Bänk' } });
  assert.equal(created.statusCode, 201, created.body);
  const dup = await t.app.inject({ method: 'POST', url: '/api/assets', headers, payload: { type: 'bench', code: 'HBG-B-1', lat: 56.045, lon: 12.695 } });
  assert.equal(dup.statusCode, 409);
  const badType = await t.app.inject({ method: 'POST', url: '/api/assets', headers, payload: { type: 'statue', code: 'HBG-S-1', lat: 56.045, lon: 12.695 } });
  assert.equal(badType.json().error.field, 'type');
  const outOfUse = await t.app.inject({ method: 'PATCH', url: `/api/assets/${created.json().id}`, headers, payload: { state: 'out_of_use' } });
  assert.equal(outOfUse.statusCode, 200, outOfUse.body);
  assert.equal(outOfUse.json().asset.state, 'out_of_use');
  const parks = await t.app.inject({ url: `/api/public/assets?bbox=${bbox}&service_code=park` });
  assert.ok(!parks.json().features.some((f: { properties: { code: string } }) => f.properties.code === 'HBG-B-1'), 'out of use is not shown to citizens');
  const staff = await t.app.inject({ url: `/api/assets?bbox=${bbox}&type=bench,street_light`, headers });
  assert.equal(staff.statusCode, 200);
  assert.ok(staff.json().features.some((f: { properties: { code: string } }) => f.properties.code === 'HBG-B-1'));
  const koping = await t.app.inject({ url: `/api/assets?bbox=${bbox}`, headers: await signIn(t.app, 'handler@koping.demo') });
  assert.equal(koping.json().features.length, 0, 'Köping staff do not see Helsingborg’s assets');
});

test('the import API refuses a bad file with every problem listed and stores nothing', async () => {
  const headers = await signIn(t.app, 'supervisor@helsingborg.demo');
  const res = await t.app.inject({
    method: 'POST', url: '/api/assets/import', headers,
    payload: { format: 'csv', type: 'bench', content: 'code,lat,lon\nHBG-API-1,56.04,12.69\nHBG-API-2,,12.69\n' },
  });
  assert.equal(res.statusCode, 422);
  assert.deepEqual(res.json().error.problems, [{ line: 3, field: 'coordinates', message: 'coordinates are missing or not numbers' }]);
  const stored = await t.ctx.db.selectFrom('assets').select('id').where('code', '=', 'HBG-API-1').execute();
  assert.equal(stored.length, 0);
  const ok = await t.app.inject({ method: 'POST', url: '/api/assets/import', headers, payload: { format: 'csv', type: 'bench', content: 'code,lat,lon\nHBG-API-1,56.04,12.69\n' } });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().inserted, 1);
});
