import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvObjects } from '../shared/csv.js';
import type { GeoJsonPolygonal } from '../db/types.js';

/** The shipped reference data folder (see README "Data and licences"). */
export const REFERENCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../reference');

export interface MunicipalityFeature {
  code: string;
  name: string;
  geometry: GeoJsonPolygonal;
}

/** Reads a CSV file of the reference folder into header-keyed rows. */
export function readReferenceCsv(file: string): Record<string, string>[] {
  return parseCsvObjects(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
}

/** The 290 municipality polygons, keyed by kommunkod, WGS84 [lon, lat]. */
export function readMunicipalityFeatures(): MunicipalityFeature[] {
  const collection = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'municipalities.geojson'), 'utf8')) as {
    features: { properties: { id: string; kom_namn: string }; geometry: GeoJsonPolygonal }[];
  };
  return collection.features.map((f) => ({ code: f.properties.id, name: f.properties.kom_namn, geometry: f.geometry }));
}

/** Bounding box [minLon, minLat, maxLon, maxLat] of a polygon or multipolygon. */
export function bboxOf(geometry: GeoJsonPolygonal): [number, number, number, number] {
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0]) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}
