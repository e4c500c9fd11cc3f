// Step 1 of the report: where. Pin by clicking the (lazily loaded) map, by "use my location", by a button
// that pins the map's centre (keyboard), or by typing an address with postal code. Address search finds
// the postal code area only: no street geocoder is reachable, and the page says so.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../shared/i18n.js';
import { geocode, getAssets, getBoundaries, type Municipality, type Place } from '../api.js';
import type { CitizenMap, MapAsset } from '../map.js';
import { errorText, Field } from '../ui.js';

/** Where the reporter says the problem is. */
export type Location =
  | { kind: 'pin'; lat: number; lon: number; how: 'map' | 'gps' | 'centre' }
  | { kind: 'pin'; lat: number; lon: number; how: 'asset'; asset: string }
  | { kind: 'area'; place: Place }
  | null;

export interface PlaceProps {
  municipality: Municipality | null;
  /** The chosen category: its assets (poles, bins …) are shown when zoomed in. */
  serviceCode: string | null;
  tileUrl: string | null;
  location: Location;
  address: string;
  error?: string;
  onLocation: (l: Location) => void;
  onAddress: (text: string) => void;
}

const round = (v: number) => v.toFixed(5);
// Assets are only worth drawing at street level; a whole town of poles would hide the map.
const ASSET_ZOOM = 16;

/** The "where" section of the report form. */
export function PlaceSection(props: PlaceProps) {
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<CitizenMap | null>(null);
  const [mapState, setMapState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [results, setResults] = useState<Place[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [message, setMessage] = useState('');
  const [assets, setAssets] = useState<MapAsset[]>([]);
  const pick = useRef(props.onLocation);
  pick.current = props.onLocation;

  useEffect(() => {
    let cancelled = false;
    import('../map.js').then(async ({ createMap }) => {
      if (cancelled || !mapEl.current) return;
      const map = createMap(mapEl.current, {
        label: t('place.map_label'), tileUrl: props.tileUrl,
        onPick: (lat, lon) => pick.current({ kind: 'pin', lat, lon, how: 'map' }),
      });
      mapRef.current = map;
      setMapState('ready');
      const code = props.municipality?.code;
      if (props.municipality?.bbox) map.fit(props.municipality.bbox);
      map.addBoundaries(await getBoundaries(code).catch(() => ({ type: 'FeatureCollection', features: [] }) as GeoJSON.FeatureCollection));
    }).catch(() => !cancelled && setMapState('failed'));
    return () => {
      cancelled = true;
      mapRef.current?.destroy();
      mapRef.current = null;
    };
  }, [props.municipality?.code]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (props.location?.kind === 'pin') map.setPin(props.location.lat, props.location.lon);
    else map.clearPin();
    if (props.location?.kind === 'area') map.fit(props.location.place.bbox);
  }, [props.location, mapState]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !props.serviceCode) return;
    let live = true;
    const serviceCode = props.serviceCode;
    const unsubscribe = map.onView((bbox, zoom) => {
      if (!live) return;
      if (zoom < ASSET_ZOOM) {
        setAssets([]);
        map.setAssets([], () => undefined);
        return;
      }
      getAssets(bbox, serviceCode).then((fc) => {
        if (!live) return;
        const list = fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name ?? '', lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1] }));
        setAssets(list);
        map.setAssets(list, chooseAsset);
      }, () => undefined);
    });
    return () => {
      live = false;
      unsubscribe();
      setAssets([]);
      map.setAssets([], () => undefined);
    };
  }, [props.serviceCode, mapState]);

  function chooseAsset(a: MapAsset) {
    pick.current({ kind: 'pin', lat: a.lat, lon: a.lon, how: 'asset', asset: a.code });
  }

  function useMyLocation() {
    if (!navigator.geolocation) {
      setMessage(t('place.gps_unavailable'));
      return;
    }
    setMessage(t('place.gps_finding'));
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setMessage('');
        props.onLocation({ kind: 'pin', lat: pos.coords.latitude, lon: pos.coords.longitude, how: 'gps' });
      },
      () => setMessage(t('place.gps_failed')),
      { enableHighAccuracy: true, timeout: 15000 },
    );
  }

  function pinCentre() {
    const c = mapRef.current?.centre();
    if (c) props.onLocation({ kind: 'pin', lat: c.lat, lon: c.lon, how: 'centre' });
  }

  async function find(e: Event) {
    e.preventDefault();
    const text = props.address.trim();
    if (text.length < 2) {
      setMessage(t('place.type_more'));
      return;
    }
    setSearching(true);
    setMessage('');
    try {
      const found = (await geocode(text)).results;
      setResults(found);
      if (found.length === 0) setMessage(t('place.none_found'));
      else if (found.length === 1 && found[0].precision === 'postal_code') choose(found[0]);
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setSearching(false);
    }
  }

  function choose(place: Place) {
    setResults(null);
    props.onLocation({ kind: 'area', place });
  }

  const loc = props.location;
  const chosen = loc?.kind === 'pin' && loc.how === 'asset'
    ? t('place.asset_chosen', { code: loc.asset })
    : loc?.kind === 'pin'
    ? t('place.pin_at', { lat: round(loc.lat), lon: round(loc.lon) })
    : loc?.kind === 'area'
      ? t(loc.place.precision === 'postal_code' ? 'place.area_postal' : 'place.area_locality', {
        postal: loc.place.postal_code ? `${loc.place.postal_code.slice(0, 3)} ${loc.place.postal_code.slice(3)}` : '', locality: loc.place.locality ?? loc.place.municipality_name, municipality: loc.place.municipality_name })
      : '';

  return html`<section class="step" aria-labelledby="step-place">
    <h2 id="step-place"><span class="step-no">1</span> ${t('place.title')}</h2>
    <div class="map-wrap">
      <div ref=${mapEl} class="map" id="report-map"></div>
      ${mapState === 'loading' ? html`<p class="map-note">${t('place.map_loading')}</p>` : ''}
      ${mapState === 'failed' ? html`<p class="map-note">${t('place.map_failed')}</p>` : ''}
    </div>
    <p class="hint">${t('place.map_hint')}</p>
    <div class="button-row">
      <button type="button" class="secondary" onClick=${useMyLocation}>${t('place.use_location')}</button>
      ${mapState === 'ready' ? html`<button type="button" class="secondary" onClick=${pinCentre}>${t('place.pin_centre')}</button>` : ''}
    </div>
    ${assets.length > 0 ? html`<div class="choices">
      <p id="asset-choices">${t('place.assets_in_view')}</p>
      <ul aria-labelledby="asset-choices">${assets.slice(0, 12).map((a) => html`<li><button type="button" class="link" onClick=${() => chooseAsset(a)}>
        ${a.code}${a.name ? ` – ${a.name}` : ''}</button></li>`)}</ul>
    </div>` : ''}
    <${Field} id="address" label=${t('place.address')} hint=${t('place.address_hint')} error=${props.error}>
      ${(describedBy: string | undefined) => html`<div class="inline-form">
        <input id="address" name="address" type="text" autocomplete="street-address" value=${props.address}
          aria-describedby=${describedBy} aria-invalid=${props.error ? 'true' : undefined}
          onInput=${(e: Event) => props.onAddress((e.target as HTMLInputElement).value)}
          onKeyDown=${(e: KeyboardEvent) => e.key === 'Enter' && find(e)} />
        <button type="button" class="secondary" onClick=${find} disabled=${searching}>${t('place.find')}</button>
      </div>`}
    </${Field}>
    ${results && results.length > 0 ? html`<div class="choices">
      <p id="place-choices">${t('place.choose')}</p>
      <ul aria-labelledby="place-choices">${results.map((r) => html`<li><button type="button" class="link" onClick=${() => choose(r)}>
        ${r.postal_code ? `${r.postal_code.slice(0, 3)} ${r.postal_code.slice(3)} ` : ''}${r.locality ?? r.municipality_name}${r.locality ? `, ${r.municipality_name}` : ''}
      </button></li>`)}</ul>
    </div>` : ''}
    <p class="chosen" role="status" aria-live="polite">${message || chosen}</p>
  </section>`;
}
