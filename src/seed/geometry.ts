import type { GeoJsonPolygonal } from '../db/types.js';

/** A deterministic pseudo-random generator (mulberry32), so the demo and benchmarks are the same every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Buffers a polyline (lon, lat) into a corridor polygon `halfWidthMetres` to each side. */
export function corridorPolygon(line: [number, number][], halfWidthMetres: number): GeoJsonPolygonal {
  const left: [number, number][] = [];
  const right: [number, number][] = [];
  for (let i = 0; i < line.length; i++) {
    const prev = line[Math.max(0, i - 1)];
    const next = line[Math.min(line.length - 1, i + 1)];
    const lat = line[i][1];
    const metresPerLon = 111_320 * Math.cos((lat * Math.PI) / 180);
    const dx = (next[0] - prev[0]) * metresPerLon;
    const dy = (next[1] - prev[1]) * 111_320;
    const length = Math.hypot(dx, dy) || 1;
    const nx = (-dy / length) * halfWidthMetres;
    const ny = (dx / length) * halfWidthMetres;
    left.push([line[i][0] + nx / metresPerLon, lat + ny / 111_320]);
    right.push([line[i][0] - nx / metresPerLon, lat - ny / 111_320]);
  }
  const ring = [...left, ...right.reverse()];
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}
