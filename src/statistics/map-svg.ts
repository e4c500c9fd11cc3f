import { readMunicipalityFeatures } from '../reference/files.js';
import { esc } from './svg.js';

// A choropleth of Sweden from the shipped municipality polygons, projected once (equirectangular scaled by
// cos 62°, good enough for a thumbnail of one country) and thinned to points at least ~0.7 px apart.

const WIDTH = 300;
const LON0 = 10.9;
const LAT1 = 69.1;
const SCALE = WIDTH / ((24.2 - LON0) * Math.cos((62 * Math.PI) / 180));
const HEIGHT = Math.ceil((LAT1 - 55.3) * SCALE);
/** Five sequential blues (ColorBrewer), light to dark; "no data" is hatched grey. */
const CLASSES = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'];

let cachedPaths: Map<string, { name: string; d: string }> | undefined;

function project([lon, lat]: number[]): [number, number] {
  return [(lon - LON0) * Math.cos((62 * Math.PI) / 180) * SCALE, (LAT1 - lat) * SCALE];
}

function ringPath(ring: number[][]): string {
  const out: string[] = [];
  let last: [number, number] | null = null;
  for (const p of ring) {
    const [x, y] = project(p);
    if (last && Math.abs(x - last[0]) + Math.abs(y - last[1]) < 0.7) continue;
    out.push(`${x.toFixed(1)} ${y.toFixed(1)}`);
    last = [x, y];
  }
  return out.length >= 3 ? `M${out.join('L')}Z` : '';
}

function paths(): Map<string, { name: string; d: string }> {
  if (!cachedPaths) {
    cachedPaths = new Map();
    for (const f of readMunicipalityFeatures()) {
      const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
      cachedPaths.set(f.code, { name: f.name, d: polygons.flatMap((poly) => poly.map(ringPath)).join('') });
    }
  }
  return cachedPaths;
}

/** Class breaks (quintiles of the values present). */
function breaks(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return [1, 2, 3, 4].map((k) => sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / 5))]);
}

function classOf(value: number, b: number[]): number {
  let c = 0;
  while (c < b.length && value > b[c]) c++;
  return c;
}

/**
 * The map: each municipality filled by its class, selected ones outlined, each with a <title> (name and
 * value) for pointer and screen-reader users; a legend with the class ranges follows.
 */
export function choropleth(opts: { title: string; desc: string; values: Map<string, number | null>; highlight: Set<string>; noData: string; format: (n: number) => string }): string {
  const present = [...opts.values.values()].filter((v): v is number => v !== null);
  const b = breaks(present);
  const shapes: string[] = [];
  const outlines: string[] = [];
  for (const [code, { name, d }] of paths()) {
    const v = opts.values.get(code) ?? null;
    const fill = v === null ? 'url(#nodata)' : CLASSES[classOf(v, b)];
    shapes.push(`<path d="${d}" fill="${fill}" stroke="#666" stroke-width="0.3"><title>${esc(name)}: ${esc(v === null ? opts.noData : opts.format(v))}</title></path>`);
    if (opts.highlight.has(code)) outlines.push(`<path d="${d}" fill="none" stroke="#D55E00" stroke-width="1.6"/>`);
  }
  const min = present.length ? Math.min(...present) : 0;
  const max = present.length ? Math.max(...present) : 0;
  const bounds = [min, ...b, max];
  const legend = CLASSES.map((colour, i) => {
    const y = HEIGHT + 10 + i * 18;
    return `<rect x="4" y="${y}" width="14" height="14" fill="${colour}" stroke="#666"/>` +
      `<text x="24" y="${y + 7}" dy="0.35em">${esc(opts.format(bounds[i]))} – ${esc(opts.format(bounds[i + 1]))}</text>`;
  }).join('') + `<rect x="4" y="${HEIGHT + 100}" width="14" height="14" fill="url(#nodata)" stroke="#666"/><text x="24" y="${HEIGHT + 107}" dy="0.35em">${esc(opts.noData)}</text>`;
  const id = `map${Math.floor(Math.random() * 1e9)}`;
  return `<svg class="map" role="img" aria-labelledby="${id}t ${id}d" viewBox="0 0 ${WIDTH} ${HEIGHT + 120}" width="${WIDTH}" height="${HEIGHT + 120}">` +
    `<title id="${id}t">${esc(opts.title)}</title><desc id="${id}d">${esc(opts.desc)}</desc>` +
    `<defs><pattern id="nodata" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#eee"/><path d="M0 6L6 0" stroke="#999" stroke-width="1"/></pattern></defs>` +
    `${shapes.join('')}${outlines.join('')}${legend}</svg>`;
}
