// Recent cases of a municipality as a list and on a map, filtered by category and state.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../../shared/i18n.js';
import { getMunicipality, getServices, listCases, getBoundaries, type CaseSummary, type Group } from '../api.js';
import type { CitizenMap } from '../map.js';
import { errorText, formatDate, LoadState, StatusBadge, useLoad, w } from '../ui.js';
import { navigate } from '../router.js';

const name = (x: { name_sv: string; name_en: string }) => (locale() === 'en' ? x.name_en : x.name_sv);

/** /k/<kod or name>/arenden */
export function ListPage(props: { municipalityKey: string; groups: Group[] | null }) {
  const muni = useLoad(() => getMunicipality(props.municipalityKey), props.municipalityKey);
  const params = new URLSearchParams(location.search);
  const [service, setService] = useState(params.get('service') ?? '');
  const [status, setStatus] = useState(params.get('status') ?? 'open');
  const [result, setResult] = useState<{ open_count: number; cases: CaseSummary[]; next_before: number | null } | null>(null);
  const [error, setError] = useState('');
  const mapEl = useRef<HTMLDivElement>(null);
  const mapRef = useRef<CitizenMap | null>(null);
  const [mapReady, setMapReady] = useState(false);
  const code = muni.data?.code;

  useEffect(() => {
    if (!code) return;
    let live = true;
    setError('');
    listCases({ municipality: code, service, status: status === 'all' ? undefined : status, limit: 50 })
      .then((r) => live && setResult(r), (e) => live && setError(errorText(e)));
    const url = new URL(location.href);
    url.search = new URLSearchParams({ ...(service ? { service } : {}), status }).toString();
    history.replaceState(null, '', url);
    return () => {
      live = false;
    };
  }, [code, service, status]);

  useEffect(() => {
    if (!code || !mapEl.current) return;
    let cancelled = false;
    import('../map.js').then(async ({ createMap }) => {
      if (cancelled || !mapEl.current) return;
      const map = createMap(mapEl.current, { label: t('list.map_label'), tileUrl: null, onNavigate: navigate });
      mapRef.current = map;
      setMapReady(true);
      if (muni.data?.bbox) map.fit(muni.data.bbox);
      map.addBoundaries(await getBoundaries(code).catch(() => ({ type: 'FeatureCollection', features: [] }) as GeoJSON.FeatureCollection));
    }, () => undefined);
    return () => {
      cancelled = true;
      mapRef.current?.destroy();
      mapRef.current = null;
    };
  }, [code]);

  useEffect(() => {
    mapRef.current?.setMarkers((result?.cases ?? []).filter((c) => c.lat !== null).map((c) => ({
      lat: c.lat!, lon: c.lon!, label: `${c.case_number}: ${w(c.service)} (${w(c.status_label)})`, href: `/arende/${c.case_number}`, open: c.open,
    })), true);
  }, [result, mapReady]);

  useEffect(() => {
    if (muni.data) document.title = `${t('list.title', { name: muni.data.name })} – Ingång`;
  }, [muni.data, locale()]);

  async function more() {
    if (!code || !result?.next_before) return;
    const next = await listCases({ municipality: code, service, status: status === 'all' ? undefined : status, limit: 50, before: result.next_before });
    setResult({ ...next, cases: [...result.cases, ...next.cases] });
  }

  if (!muni.data) return html`<${LoadState} error=${muni.error} />`;
  return html`<div class="list-page">
    <h1 id="page-title" tabindex="-1">${t('list.title', { name: muni.data.name })}</h1>
    <p><a href=${`/k/${muni.data.slug}`}>${t('list.report_here', { name: muni.data.name })}</a></p>
    <form class="filters" onSubmit=${(e: Event) => e.preventDefault()} aria-label=${t('list.filters')}>
      <div class="field">
        <label for="filter-service">${t('list.service')}</label>
        <select id="filter-service" value=${service} onChange=${(e: Event) => setService((e.target as HTMLSelectElement).value)}>
          <option value="">${t('list.all_services')}</option>
          ${(props.groups ?? []).map((g) => html`<optgroup label=${name(g)}>${g.services.map((s) => html`<option value=${s.service_code}>${name(s)}</option>`)}</optgroup>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-status">${t('list.status')}</label>
        <select id="filter-status" value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="open">${t('list.open')}</option>
          <option value="closed">${t('list.closed')}</option>
          <option value="all">${t('list.all')}</option>
        </select>
      </div>
    </form>
    <div ref=${mapEl} class="map map-list"></div>
    ${error ? html`<p class="notice notice-error" role="alert">${error}</p>` : ''}
    <p role="status" aria-live="polite">${result ? t('list.count', { n: result.cases.length, open: result.open_count }) : t('loading')}</p>
    <ul class="case-list">${(result?.cases ?? []).map((c) => html`<li>
      <a href=${`/arende/${c.case_number}`}><strong>${w(c.service)}</strong> ${c.case_number}</a>
      <${StatusBadge} status=${c.status} open=${c.open} label=${c.status_label} />
      <span class="muted"> ${formatDate(c.requested_at, false)}${c.address ? ` · ${c.address}` : ''}</span>
      ${c.excerpt ? html`<p>${c.excerpt}</p>` : ''}
    </li>`)}</ul>
    ${result?.next_before ? html`<button type="button" class="secondary" onClick=${more}>${t('list.more')}</button>` : ''}
  </div>`;
}
