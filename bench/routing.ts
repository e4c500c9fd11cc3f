import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { AreaIndex, SWEDEN_BBOX } from '../src/geo/area-index.js';
import { bboxOf, readMunicipalityFeatures } from '../src/reference/files.js';
import { seededRandom } from '../src/seed/geometry.js';

/** One line of the bench table. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What the value is compared with (here: the brute-force scan measured in the same run). */
  reference: string;
  goal: string;
}

/** Mean time per call of `fn` over all points, after a warm-up round, in microseconds. */
function timePerLookup(points: Float64Array, fn: (lon: number, lat: number) => unknown, rounds: number): number {
  for (let i = 0; i < points.length; i += 2) fn(points[i], points[i + 1]);
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < points.length; i += 2) fn(points[i], points[i + 1]);
  return ((performance.now() - start) * 1000) / (rounds * (points.length / 2));
}

/**
 * Point → municipality over the 290 real polygons: the index (flatbush + flat point-in-polygon)
 * against a brute-force turf scan of every polygon, on the same random points in Sweden's extent.
 */
export async function runRoutingBench(): Promise<BenchResult[]> {
  const features = readMunicipalityFeatures();
  const index = new AreaIndex(features.map((f, i) => ({
    id: i + 1, kind: 'municipality', code: f.code, name: f.name, municipality_code: f.code, geometry: f.geometry, bbox: bboxOf(f.geometry),
  })));
  const random = seededRandom(5);
  const count = 20_000;
  const points = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    points[i * 2] = SWEDEN_BBOX[0] + random() * (SWEDEN_BBOX[2] - SWEDEN_BBOX[0]);
    points[i * 2 + 1] = SWEDEN_BBOX[1] + random() * (SWEDEN_BBOX[3] - SWEDEN_BBOX[1]);
  }
  const bruteForce = (lon: number, lat: number) => {
    let code: string | undefined;
    for (const f of features) if (booleanPointInPolygon([lon, lat], f.geometry as never) && (!code || f.code < code)) code = f.code;
    return code;
  };
  // Both must agree before their times mean anything.
  let inside = 0;
  for (let i = 0; i < 2000; i++) {
    const [lon, lat] = [points[i * 2], points[i * 2 + 1]];
    const fast = index.municipalityAt(lon, lat)?.code;
    if (fast !== bruteForce(lon, lat)) throw new Error(`index and brute force disagree at ${lon},${lat}`);
    if (fast) inside++;
  }
  const brute = timePerLookup(points.subarray(0, 2000), bruteForce, 1);
  const indexed = timePerLookup(points, (lon, lat) => index.municipalityAt(lon, lat), 10);
  const all = timePerLookup(points, (lon, lat) => index.containing(lon, lat), 5);
  const reference = `brute-force turf scan of 290 polygons: ${brute.toFixed(1)} µs (${(brute / indexed).toFixed(0)}× slower)`;
  return [
    { name: `routing: point → municipality (index, ${Math.round((inside / 2000) * 100)} % of points on land)`, value: round(indexed), unit: 'µs/lookup', reference, goal: '≤ 5 µs' },
    { name: 'routing: point → all containing areas, sorted', value: round(all), unit: 'µs/lookup', reference, goal: '≤ 5 µs' },
    { name: 'routing: brute-force turf scan of all 290 polygons', value: round(brute), unit: 'µs/lookup', reference: 'baseline', goal: '—' },
  ];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runRoutingBench();
  console.table(results);
}
