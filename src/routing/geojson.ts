import type { GeoJsonPolygonal } from '../db/types.js';
import { SWEDEN_BBOX } from '../geo/area-index.js';
import { badInput } from '../shared/errors.js';

const MAX_VERTICES = 200_000;

/**
 * Checks that a value is a GeoJSON Polygon or MultiPolygon (a Feature around one is unwrapped) whose
 * rings are closed, have at least four positions, and lie within Sweden's extent in WGS84 [lon, lat].
 * Errors name the exact position, e.g. `geometry.coordinates[0][3]`. Self-intersection is not checked.
 */
export function validatePolygonal(value: unknown, field = 'geometry'): GeoJsonPolygonal {
  let geometry = value as { type?: unknown; coordinates?: unknown; geometry?: unknown } | null;
  if (geometry && typeof geometry === 'object' && geometry.type === 'Feature') geometry = geometry.geometry as typeof geometry;
  if (!geometry || typeof geometry !== 'object') throw badInput(field, 'must be a GeoJSON Polygon or MultiPolygon', 'ska vara en GeoJSON Polygon eller MultiPolygon');
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    throw badInput(`${field}.type`, 'must be "Polygon" or "MultiPolygon"', 'ska vara "Polygon" eller "MultiPolygon"');
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) throw badInput(`${field}.coordinates`, 'must be a non-empty array', 'ska vara en icke-tom lista');
  let vertices = 0;
  polygons.forEach((polygon, p) => {
    const at = geometry!.type === 'Polygon' ? `${field}.coordinates` : `${field}.coordinates[${p}]`;
    if (!Array.isArray(polygon) || polygon.length === 0) throw badInput(at, 'must be a non-empty array of rings', 'ska vara en lista med ringar');
    polygon.forEach((ring: unknown, r: number) => {
      const ringAt = `${at}[${r}]`;
      if (!Array.isArray(ring) || ring.length < 4) throw badInput(ringAt, 'a ring needs at least four positions', 'en ring behöver minst fyra punkter');
      ring.forEach((position: unknown, i: number) => {
        const posAt = `${ringAt}[${i}]`;
        if (!Array.isArray(position) || position.length < 2 || !position.every((n) => typeof n === 'number' && Number.isFinite(n))) {
          throw badInput(posAt, 'must be [longitude, latitude] numbers', 'ska vara [longitud, latitud] som tal');
        }
        const [lon, lat] = position as number[];
        if (lon < SWEDEN_BBOX[0] || lon > SWEDEN_BBOX[2] || lat < SWEDEN_BBOX[1] || lat > SWEDEN_BBOX[3]) {
          throw badInput(posAt, `[${lon}, ${lat}] is outside Sweden; give WGS84 [longitude, latitude]`, `[${lon}, ${lat}] ligger utanför Sverige; ange WGS84 [longitud, latitud]`);
        }
      });
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) throw badInput(ringAt, 'must be closed (first and last position equal)', 'ska vara sluten (första och sista punkten lika)');
      vertices += ring.length;
    });
  });
  if (vertices > MAX_VERTICES) throw badInput(`${field}.coordinates`, `has more than ${MAX_VERTICES} positions; simplify it`, `har fler än ${MAX_VERTICES} punkter; förenkla den`);
  return { type: geometry.type, coordinates: geometry.coordinates as GeoJsonPolygonal['coordinates'] };
}
