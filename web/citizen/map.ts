// The citizen map, loaded with import() so the form never waits for it. Leaflet (≈45 KB gzip) fits the
// 350 KB budget where MapLibre would not. Offline basemap: boundaries from the server; an optional tile
// layer when MAP_TILE_URL is configured. The map is a help, never a requirement: every action has a
// keyboard and text alternative in the form.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';

export interface MapMarker {
  lat: number;
  lon: number;
  label: string;
  href: string;
  open: boolean;
}

/** An asset (pole, bin, playground) the reporter can pick as what the report is about. */
export interface MapAsset {
  code: string;
  name: string;
  lat: number;
  lon: number;
}

export interface CitizenMap {
  setPin(lat: number, lon: number): void;
  /** Draws pickable assets (replacing earlier ones); `onPick` gets the chosen one. */
  setAssets(assets: MapAsset[], onPick: (asset: MapAsset) => void): void;
  /** The visible box [minLon, minLat, maxLon, maxLat] and zoom, now and after every move; returns an unsubscribe. */
  onView(listener: (bbox: [number, number, number, number], zoom: number) => void): () => void;
  clearPin(): void;
  fit(bbox: [number, number, number, number]): void;
  centre(): { lat: number; lon: number };
  addBoundaries(geojson: GeoJSON.FeatureCollection): void;
  setMarkers(markers: MapMarker[], fitToThem?: boolean): void;
  destroy(): void;
}

const SWEDEN: [number, number, number, number] = [10.9, 55.3, 24.2, 69.1];

/** Creates a map in `el`; `onPick` gets clicked places (when picking is allowed); `onNavigate` follows marker links. */
export function createMap(el: HTMLElement, opts: { label: string; tileUrl: string | null; onPick?: (lat: number, lon: number) => void; onNavigate?: (href: string) => void }): CitizenMap {
  const map = L.map(el, { attributionControl: Boolean(opts.tileUrl), zoomSnap: 0.5, keyboard: true, minZoom: 4 });
  el.setAttribute('aria-label', opts.label);
  el.setAttribute('role', 'region');
  const fit = (b: [number, number, number, number]) => map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8] });
  fit(SWEDEN);
  L.control.scale({ imperial: false }).addTo(map);
  if (opts.tileUrl) L.tileLayer(opts.tileUrl, { maxZoom: 19 }).addTo(map);
  // Boundaries arrive after markers may be drawn: their own pane keeps them underneath.
  map.createPane('basemap').style.zIndex = '350';
  const basemap = L.geoJSON(undefined, {
    pane: 'basemap',
    style: { color: '#4a5560', weight: 1.2, fillColor: '#e7eef5', fillOpacity: opts.tileUrl ? 0.1 : 0.7 },
    interactive: false,
  }).addTo(map);
  const markers = L.layerGroup().addTo(map);
  const assetLayer = L.layerGroup().addTo(map);
  let pin: L.CircleMarker | null = null;
  if (opts.onPick) map.on('click', (e: L.LeafletMouseEvent) => opts.onPick!(e.latlng.lat, e.latlng.lng));

  return {
    setPin(lat, lon) {
      if (!pin) pin = L.circleMarker([lat, lon], { radius: 11, color: '#ffffff', weight: 3, fillColor: '#b3261e', fillOpacity: 1, interactive: false }).addTo(map);
      else pin.setLatLng([lat, lon]);
      if (map.getZoom() < 14) map.setView([lat, lon], 16);
      else map.panTo([lat, lon]);
    },
    setAssets(assets, onPick) {
      assetLayer.clearLayers();
      for (const a of assets) {
        const marker = L.circleMarker([a.lat, a.lon], { radius: 7, color: '#1d3a5f', weight: 2, fillColor: '#ffd84d', fillOpacity: 1 });
        marker.bindTooltip(a.name ? `${a.code} – ${a.name}` : a.code);
        marker.on('click', (e: L.LeafletMouseEvent) => {
          L.DomEvent.stopPropagation(e);
          onPick(a);
        });
        marker.addTo(assetLayer);
      }
    },
    onView(listener) {
      const emit = () => {
        const b = map.getBounds();
        listener([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], map.getZoom());
      };
      map.on('moveend', emit);
      emit();
      return () => map.off('moveend', emit);
    },
    clearPin() {
      pin?.remove();
      pin = null;
    },
    fit,
    centre() {
      const c = map.getCenter();
      return { lat: c.lat, lon: c.lng };
    },
    addBoundaries(geojson) {
      basemap.addData(geojson);
    },
    setMarkers(list, fitToThem = false) {
      markers.clearLayers();
      for (const m of list) {
        const marker = L.circleMarker([m.lat, m.lon], { radius: 8, color: '#ffffff', weight: 2, fillColor: m.open ? '#8a4b00' : '#0b6e4f', fillOpacity: 1 });
        marker.bindTooltip(m.label);
        marker.on('click', () => (opts.onNavigate ? opts.onNavigate(m.href) : location.assign(m.href)));
        marker.addTo(markers);
      }
      if (fitToThem && list.length > 0) map.fitBounds(L.latLngBounds(list.map((m) => [m.lat, m.lon] as L.LatLngTuple)), { padding: [20, 20], maxZoom: 15 });
    },
    destroy() {
      map.remove();
    },
  };
}
