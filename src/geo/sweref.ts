import proj4 from 'proj4';

const SWEREF99TM = '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs +type=crs';
proj4.defs('EPSG:3006', SWEREF99TM);

/** SWEREF 99 TM (EPSG:3006) northing/easting in metres → WGS84. Swedish maps give N (y) before E (x). */
export function swerefToWgs84(northing: number, easting: number): { lat: number; lon: number } {
  const [lon, lat] = proj4('EPSG:3006', 'EPSG:4326', [easting, northing]);
  return { lat, lon };
}

/** WGS84 → SWEREF 99 TM (EPSG:3006). */
export function wgs84ToSweref(lat: number, lon: number): { northing: number; easting: number } {
  const [easting, northing] = proj4('EPSG:4326', 'EPSG:3006', [lon, lat]);
  return { northing, easting };
}

/** Plausible SWEREF 99 TM values for Sweden (with margin), to reject swapped or WGS84 input. */
export function isPlausibleSweref(northing: number, easting: number): boolean {
  return northing >= 6_000_000 && northing <= 7_800_000 && easting >= 100_000 && easting <= 1_000_000;
}
