import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { pointOnFeature } from '@turf/point-on-feature';
import { AreaIndex } from './area-index.js';
import { bboxOf, readMunicipalityFeatures } from '../reference/files.js';
import { swerefToWgs84, wgs84ToSweref } from './sweref.js';

let index: AreaIndex;
const features = readMunicipalityFeatures();
before(() => {
  index = new AreaIndex(features.map((f, i) => ({ id: i + 1, kind: 'municipality', code: f.code, name: f.name, municipality_code: f.code, geometry: f.geometry, bbox: bboxOf(f.geometry) })));
});

test('a point at Kungsbacka centre lies in 1384 and one in Köping centre in 1983', () => {
  assert.equal(index.municipalityAt(12.0761, 57.4875)?.code, '1384');
  assert.equal(index.municipalityAt(15.9959, 59.5140)?.code, '1983');
});

test('a point guaranteed inside each of the 290 polygons resolves to that municipality', () => {
  assert.equal(features.length, 290);
  const wrong: string[] = [];
  for (const f of features) {
    const [lon, lat] = pointOnFeature({ type: 'Feature', properties: {}, geometry: f.geometry as never }).geometry.coordinates;
    const hits = index.containing(lon, lat).map((a) => a.code);
    if (!hits.includes(f.code)) wrong.push(`${f.code} ${f.name} -> ${hits.join(',')}`);
  }
  assert.deepEqual(wrong, []);
});

test('points at sea and abroad lie in no municipality', () => {
  assert.equal(index.municipalityAt(19.0, 56.0), undefined); // Baltic Sea
  assert.equal(index.municipalityAt(10.75, 59.91), undefined); // Oslo
  assert.equal(index.municipalityAt(2.35, 48.85), undefined); // Paris
});

test('SWEREF 99 TM converts both ways (Kungsbacka: N 6375426, E 324746)', () => {
  const { northing, easting } = wgs84ToSweref(57.4875, 12.0761);
  assert.ok(Math.abs(northing - 6375426) < 200 && Math.abs(easting - 324746) < 200, `${northing} ${easting}`);
  const back = swerefToWgs84(northing, easting);
  assert.ok(Math.abs(back.lat - 57.4875) < 1e-6 && Math.abs(back.lon - 12.0761) < 1e-6);
});
