import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { pointOnFeature } from '@turf/point-on-feature';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { bboxOf, readMunicipalityFeatures } from '../reference/files.js';
import { findServiceByCode, type ServiceWithGroup } from '../catalogue/repo.js';
import { normaliseLocation } from './location.js';
import { RoutingService } from './service.js';

let t: TestContext;
let playground: ServiceWithGroup;
before(async () => {
  t = await createTestContext();
  playground = (await findServiceByCode(t.ctx.db, 'playground'))!;
});
after(async () => t.close());

/** Routes a point as given (normaliseLocation would round it to 7 decimals, off an exact border vertex). */
async function route(lon: number, lat: number, service = playground) {
  const placement = await t.ctx.routing.place({ lat, lon, address: null, postal_code: null, municipality_code: null });
  return { placement, decision: await t.ctx.routing.decide(placement, service) };
}

/**
 * A point inside the municipality and inside no other: pointOnFeature (unlike the centroid of a
 * crescent-shaped municipality, it is always inside), else the first point of a grid over its bounding
 * box, because the simplified borders of neighbours overlap slightly in places (e.g. Mora/Orsa).
 */
function interiorPoint(f: ReturnType<typeof readMunicipalityFeatures>[number]): [number, number] {
  const only = (lon: number, lat: number) => {
    const hits = t.ctx.routing.areaIndex.containing(lon, lat).filter((a) => a.kind === 'municipality');
    return hits.length === 1 && hits[0].code === f.code;
  };
  const [lon, lat] = pointOnFeature({ type: 'Feature', properties: {}, geometry: f.geometry as never }).geometry.coordinates.map((c) => Math.round(c * 1e7) / 1e7);
  if (only(lon, lat)) return [lon, lat];
  const [minLon, minLat, maxLon, maxLat] = bboxOf(f.geometry);
  for (let i = 1; i < 40; i++) {
    for (let j = 1; j < 40; j++) {
      const x = Math.round((minLon + ((maxLon - minLon) * i) / 40) * 1e7) / 1e7;
      const y = Math.round((minLat + ((maxLat - minLat) * j) / 40) * 1e7) / 1e7;
      if (only(x, y)) return [x, y];
    }
  }
  throw new Error(`no interior point found for ${f.code}`);
}

test('a point guaranteed inside each of the 290 municipalities is routed there, to that municipality', async () => {
  const features = readMunicipalityFeatures();
  assert.equal(features.length, 290);
  const orgs = new Map((await t.ctx.db.selectFrom('organisations').select(['id', 'municipality_code']).where('kind', '=', 'municipality').execute())
    .map((o) => [o.municipality_code, o.id]));
  const wrong: string[] = [];
  for (const f of features) {
    const [lon, lat] = interiorPoint(f);
    const { placement, decision } = await route(lon, lat);
    if (placement.municipality_code !== f.code || decision.provider_organisation_id !== orgs.get(f.code) || decision.located_by !== 'point') {
      wrong.push(`${f.code} ${f.name} -> ${placement.municipality_code} / org ${decision.provider_organisation_id}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('a point exactly on a border shared by two municipalities always routes to the same one (the lower kommunkod)', async () => {
  const index = t.ctx.routing.areaIndex;
  const kungsbacka = index.byKind('municipality').find((a) => a.code === '1384')!;
  const ring = (kungsbacka.geometry.type === 'Polygon' ? kungsbacka.geometry.coordinates[0] : kungsbacka.geometry.coordinates[0][0]) as number[][];
  // Kungsbacka's border with Mark (1463) and Varberg (1383): its vertices lie on their polygons' edges or vertices.
  const shared = ring.map(([lon, lat]) => ({ lon, lat, codes: index.containing(lon, lat).filter((a) => a.kind === 'municipality').map((a) => a.code) }))
    .find((v) => v.codes.length >= 2);
  assert.ok(shared, `a vertex of Kungsbacka lies in a neighbour too (${ring.length} vertices)`);
  const expected = [...shared.codes].sort()[0];
  for (let i = 0; i < 5; i++) {
    const { placement, decision } = await route(shared.lon, shared.lat);
    assert.equal(placement.municipality_code, expected);
    assert.equal(index.municipalityAt(shared.lon, shared.lat)?.code, expected);
    assert.match(decision.explanation_sv, /→/);
  }
});

test('another process sees new areas: the index is rebuilt when the areas change, checked at most once per interval', async () => {
  const other = new RoutingService(t.ctx.db, { areaCheckIntervalMs: 0 });
  await other.refresh();
  const point = { lon: 12.02, lat: 57.49 };
  assert.equal(other.areaIndex.containing(point.lon, point.lat).some((a) => a.kind === 'district'), false);
  const square = [[12.0, 57.48], [12.04, 57.48], [12.04, 57.5], [12.0, 57.5], [12.0, 57.48]];
  await t.ctx.db.insertInto('areas').values({
    kind: 'district', code: 'test-district', name: 'Testdistrikt', municipality_code: '1384',
    geometry: JSON.stringify({ type: 'Polygon', coordinates: [square] }), min_lon: 12.0, min_lat: 57.48, max_lon: 12.04, max_lat: 57.5,
  }).execute();
  const placement = await other.place(normaliseLocation({ lat: point.lat, lon: point.lon }));
  assert.equal(placement.areas[0].code, 'test-district');
  const slow = new RoutingService(t.ctx.db, { areaCheckIntervalMs: 60_000 });
  await slow.refresh();
  assert.equal(await slow.refreshIfChanged(), false, 'no second check within the interval');
  await t.ctx.db.deleteFrom('areas').where('code', '=', 'test-district').execute();
  assert.equal(await other.refreshIfChanged(), true);
});
