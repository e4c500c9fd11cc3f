// Leaflet, loaded only when a page shows a map (import() from cases-map.ts). No tile server is reachable,
// so the basemap is the municipality boundaries from the server, drawn as light outlines; without them the
// points are drawn on a plain background.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { boundary } from '../api.js';

export interface MapPoint {
  id: number;
  lat: number;
  lon: number;
  label: string;
  tone: string;
}

/** A staff map: points (cases), an optional picked place, and click-to-pick. */
export interface StaffMap {
  /** Draws the points; `fit` zooms to them (only when the set changed, not when the selection moves). */
  setPoints(points: MapPoint[], selectedId?: number, fit?: boolean): void;
  setPicked(lat: number, lon: number): void;
  focus(lat: number, lon: number, zoom?: number): void;
  /** Adds the boundaries of these municipalities to the basemap (each loaded once). */
  loadBoundaries(codes: string[]): Promise<void>;
  destroy(): void;
}

const TONE: Record<string, string> = { p1: '#b3261e', p2: '#8a5a00', p3: '#1d5fa8', picked: '#0b6e4f' };
const SWEDEN: L.LatLngBoundsExpression = [[55.3, 10.9], [69.1, 24.2]];

/** Creates a map in `el`; `onSelect` gets a point's id, `onPick` a clicked place. */
export function createMap(el: HTMLElement, opts: { onSelect?: (id: number) => void; onPick?: (lat: number, lon: number) => void; label: string }): StaffMap {
  const map = L.map(el, { attributionControl: false, zoomSnap: 0.5, keyboard: true });
  map.fitBounds(SWEDEN);
  el.setAttribute('aria-label', opts.label);
  // The basemap has its own pane below the points, since boundaries arrive after the points are drawn.
  map.createPane('basemap').style.zIndex = '300';
  const basemap = L.geoJSON(undefined, { pane: 'basemap', style: { color: '#6b7280', weight: 1, fillColor: '#f4f6f8', fillOpacity: 1 }, interactive: false }).addTo(map);
  const points = L.layerGroup().addTo(map);
  let picked: L.CircleMarker | null = null;
  const loaded = new Set<string>();

  async function loadBoundaries(codes: string[]) {
    const missing = codes.filter((c) => !loaded.has(c));
    if (missing.length === 0) return;
    for (const c of missing) loaded.add(c);
    await Promise.all(missing.map(async (code) => {
      try {
        basemap.addData(await boundary(code));
      } catch {
        // Without a boundary the points alone still show where the cases are.
      }
    }));
  }

  if (opts.onPick) {
    map.on('click', (e: L.LeafletMouseEvent) => opts.onPick!(e.latlng.lat, e.latlng.lng));
  }

  return {
    setPoints(list, selectedId, fit = true) {
      points.clearLayers();
      const bounds: L.LatLngTuple[] = [];
      for (const p of list) {
        const selected = p.id === selectedId;
        const m = L.circleMarker([p.lat, p.lon], {
          radius: selected ? 10 : 6, color: selected ? '#000' : '#fff', weight: selected ? 3 : 1,
          fillColor: TONE[p.tone] ?? TONE.p3, fillOpacity: 0.9,
        }).bindTooltip(p.label);
        if (opts.onSelect) m.on('click', () => opts.onSelect!(p.id));
        m.addTo(points);
        bounds.push([p.lat, p.lon]);
      }
      if (fit && bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 14, animate: false });
    },
    setPicked(lat, lon) {
      if (picked) picked.setLatLng([lat, lon]);
      else picked = L.circleMarker([lat, lon], { radius: 10, color: '#000', weight: 3, fillColor: TONE.picked, fillOpacity: 0.9 }).addTo(map);
    },
    focus(lat, lon, zoom = 14) {
      // Without animation: an agent's next click lands on the place the search found, not mid-flight.
      map.setView([lat, lon], zoom, { animate: false });
    },
    loadBoundaries,
    destroy() {
      // Stop a running zoom first: removing a map mid-animation throws inside Leaflet.
      map.stop();
      map.remove();
    },
  };
}
