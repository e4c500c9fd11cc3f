import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database, GeoJsonPolygonal } from '../db/types.js';
import { REFERENCE_DIR, bboxOf } from '../reference/files.js';
import type { AreaIndex, IndexedArea } from '../geo/area-index.js';
import { findPostalCode } from '../routing/location.js';
import { badInput, notFound } from '../shared/errors.js';

/** A municipality as the citizen pages show it. */
export interface PublicMunicipality {
  code: string;
  name: string;
  slug: string;
  county_code: string;
  bbox: [number, number, number, number] | null;
}

/** "Upplands Väsby" → "upplands-vasby": the readable key of /k/<name>. */
export function slugOf(name: string): string {
  return name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Every municipality, sorted by name, with its bounding box from the area index. */
export async function listMunicipalities(db: Kysely<Database>, index: AreaIndex): Promise<PublicMunicipality[]> {
  const rows = await db.selectFrom('municipalities').select(['code', 'name_short', 'county_code']).orderBy('name_short').execute();
  const boxes = new Map(index.byKind('municipality').map((a) => [a.code, a.bbox]));
  return rows.map((r) => ({ code: r.code, name: r.name_short, slug: slugOf(r.name_short), county_code: r.county_code, bbox: boxes.get(r.code) ?? null }));
}

/** Finds a municipality by kommunkod ("1384") or by name ("kungsbacka", "Kungsbacka"). */
export async function findMunicipality(db: Kysely<Database>, index: AreaIndex, key: string): Promise<PublicMunicipality> {
  let decoded = key;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    // a stray "%" (fastify has already decoded the path once): use the key as it is
  }
  const wanted = /^\d{4}$/.test(key) ? key : slugOf(decoded);
  const found = (await listMunicipalities(db, index)).find((m) => m.code === wanted || m.slug === wanted);
  if (!found) throw notFound('municipality', key);
  return found;
}

/** What a typed address or postal code resolves to. No street geocoder is reachable, so it finds the postal code area. */
export interface GeocodeResult {
  precision: 'postal_code' | 'locality' | 'municipality';
  postal_code: string | null;
  locality: string | null;
  municipality_code: string;
  municipality_name: string;
  /** A point inside the municipality, only to centre the map: never stored as the place of the problem. */
  lat: number;
  lon: number;
  bbox: [number, number, number, number];
}

/**
 * Resolves free text: a five-digit postal code anywhere in it ("Storgatan 1, 434 30 Kungsbacka"),
 * else a locality or municipality name. Returns at most 8 matches, best first.
 */
export async function geocode(db: Kysely<Database>, index: AreaIndex, text: string): Promise<GeocodeResult[]> {
  const q = text.trim();
  if (q.length < 2 || q.length > 200) throw badInput('q', 'type 2–200 characters: a postal code or a place name', 'skriv 2–200 tecken: ett postnummer eller en ort');
  const municipalities = await listMunicipalities(db, index);
  const byCode = new Map(municipalities.map((m) => [m.code, m]));
  const result = (precision: GeocodeResult['precision'], code: string, postal: string | null, locality: string | null): GeocodeResult | null => {
    const m = byCode.get(code);
    const area = index.byKind('municipality').find((a) => a.code === code);
    if (!m || !area) return null;
    const [lon, lat] = interiorPoint(area);
    return { precision, postal_code: postal, locality, municipality_code: code, municipality_name: m.name, lat, lon, bbox: area.bbox };
  };
  const postal = findPostalCode(q);
  if (postal) {
    const row = await db.selectFrom('postal_codes').selectAll().where('postal_code', '=', postal).executeTakeFirst();
    const hit = row && result('postal_code', row.municipality_code, row.postal_code, row.locality);
    return hit ? [hit] : [];
  }
  const words = slugOf(q.split(',').pop() ?? q);
  const out: GeocodeResult[] = [];
  for (const m of municipalities.filter((x) => x.slug === words || x.slug.startsWith(words))) {
    const hit = result('municipality', m.code, null, null);
    if (hit) out.push(hit);
  }
  const localities = await db
    .selectFrom('postal_codes')
    .select(['locality', 'municipality_code'])
    .distinct()
    .where((eb) => eb(eb.fn('lower', ['locality']), 'like', `${q.split(',').pop()!.trim().toLowerCase()}%`))
    .orderBy('locality')
    .limit(8)
    .execute();
  for (const l of localities) {
    if (out.some((o) => o.municipality_code === l.municipality_code && (o.locality === l.locality || o.municipality_name === l.locality))) continue;
    const hit = result('locality', l.municipality_code, null, l.locality);
    if (hit) out.push(hit);
  }
  return out.slice(0, 8);
}

/** A point that lies inside the area: its bounding-box centre if inside, else the middle vertex of its longest ring. */
function interiorPoint(area: IndexedArea): [number, number] {
  const [a, b, c, d] = area.bbox;
  const centre: [number, number] = [(a + c) / 2, (b + d) / 2];
  const polygons = (area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates) as number[][][][];
  if (pointInRings(centre, polygons)) return centre;
  const ring = polygons.map((p) => p[0]).sort((x, y) => y.length - x.length)[0];
  // Halfway between a vertex and the ring's mean is inside for all but very thin shapes.
  const mean = ring.reduce((s, p) => [s[0] + p[0] / ring.length, s[1] + p[1] / ring.length], [0, 0]);
  const v = ring[Math.floor(ring.length / 2)];
  const mid: [number, number] = [(v[0] + mean[0]) / 2, (v[1] + mean[1]) / 2];
  return pointInRings(mid, polygons) ? mid : [v[0], v[1]];
}

function pointInRings([x, y]: [number, number], polygons: number[][][][]): boolean {
  let inside = false;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** Rounds coordinates (4 decimals ≈ 10 m) and drops repeated points: a light basemap for the citizen map. */
export function simplifyGeometry(geometry: GeoJsonPolygonal, decimals: number): GeoJsonPolygonal {
  const f = 10 ** decimals;
  const ring = (r: number[][]) => {
    const out: number[][] = [];
    for (const [x, y] of r) {
      const p = [Math.round(x * f) / f, Math.round(y * f) / f];
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
    return out;
  };
  const polygon = (p: number[][][]) => p.map(ring).filter((r) => r.length >= 4);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(geometry.coordinates as number[][][]) }
    : { type: 'MultiPolygon', coordinates: (geometry.coordinates as number[][][][]).map(polygon).filter((p) => p.length > 0) };
}

interface Feature { type: 'Feature'; properties: Record<string, string>; geometry: GeoJsonPolygonal; bbox?: number[] }
let countiesCache: { type: 'FeatureCollection'; features: Feature[] } | null = null;

/** The 21 counties, simplified: the basemap of the all-Sweden start page (read once from the shipped file). */
export function countyBoundaries(): { type: 'FeatureCollection'; features: Feature[] } {
  if (!countiesCache) {
    const raw = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'counties.geojson'), 'utf8')) as { features: { properties: { name: string }; geometry: GeoJsonPolygonal }[] };
    countiesCache = {
      type: 'FeatureCollection',
      features: raw.features.map((f) => ({ type: 'Feature', properties: { name: f.properties.name }, geometry: simplifyGeometry(f.geometry, 3) })),
    };
  }
  return countiesCache;
}

/** One municipality's boundary, simplified, with its bounding box. */
export function municipalityBoundary(index: AreaIndex, code: string): { type: 'FeatureCollection'; features: Feature[] } {
  const area = index.byKind('municipality').find((a) => a.code === code);
  if (!area) throw notFound('municipality', code);
  const geometry = simplifyGeometry(area.geometry, 4);
  return { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code, name: area.name }, geometry, bbox: bboxOf(geometry) }] };
}
