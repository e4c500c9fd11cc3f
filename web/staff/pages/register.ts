// Contact centre ("en väg in"): register a caller's case in under a minute. The place first (address,
// postal code or a click on the map), then what; open cases nearby come first so a repeat report becomes
// a follower, and the service's knowledge-base answers let the agent resolve the call at first contact.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../../shared/i18n.js';
import { addFollower, geocode, knowledge, nearbyCases, registerCase, services, type GeocodeHit, type Registered, type Service, type ServiceAttribute } from '../api.js';
import { linkClick } from '../router.js';
import { ErrorBox, serviceName, StatusBadge, useLoad, usePageTitle } from '../ui.js';
import { useStaffMap } from './cases-map.js';

interface Place {
  lat: number | null;
  lon: number | null;
  municipality_code: string | null;
  label: string;
}

/** Where a search sent the map: applied once the lazily loaded map is there, then announced. */
interface MapTarget {
  lat: number;
  lon: number;
  zoom: number;
  municipality_code: string;
  label: string;
}

function hitLabel(h: GeocodeHit): string {
  return [h.postal_code, h.locality, h.municipality_name].filter(Boolean).join(' · ');
}

function PlaceFinder({ place, onPlace }: { place: Place; onPlace: (p: Place) => void }) {
  const [hits, setHits] = useState<GeocodeHit[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [target, setTarget] = useState<MapTarget | null>(null);
  // Said only once the map shows the place, so neither a screen-reader user nor a quick click acts on the old view.
  const [shown, setShown] = useState<string | null>(null);
  const { el, map } = useStaffMap({ label: t('register.mapLabel'), onPick: (lat, lon) => onPlace({ ...place, lat, lon }) });
  useEffect(() => {
    if (map && place.lat !== null && place.lon !== null) map.setPicked(place.lat, place.lon);
  }, [map, place.lat, place.lon]);
  // A search may answer before the map's code has loaded; the map then goes there as soon as it exists.
  useEffect(() => {
    if (!map || !target) return;
    map.focus(target.lat, target.lon, target.zoom);
    void map.loadBoundaries([target.municipality_code]);
    setShown(target.label);
  }, [map, target]);
  // Only the latest search moves the map: an earlier one that answers late is dropped.
  const latestSearch = useRef(0);
  async function search(e: Event) {
    e.preventDefault();
    const q = String(new FormData(e.target as HTMLFormElement).get('q') ?? '');
    const mine = ++latestSearch.current;
    setError(null);
    try {
      const found = await geocode(q);
      if (mine !== latestSearch.current) return;
      setHits(found);
      if (found.length === 0) setError(new Error(t('register.noHits')));
      if (found[0]) choose(found[0], q);
    } catch (err) {
      if (mine === latestSearch.current) setError(err);
    }
  }
  function choose(h: GeocodeHit, q?: string) {
    setShown(null);
    setTarget({ lat: h.lat, lon: h.lon, zoom: h.precision === 'postal_code' ? 14 : 12, municipality_code: h.municipality_code, label: hitLabel(h) });
    onPlace({ lat: null, lon: null, municipality_code: h.municipality_code, label: q ?? place.label });
  }
  return html`<fieldset class="card">
    <legend>${t('register.where')}</legend>
    <form class="inline" onSubmit=${search} role="search">
      <label for="place-q">${t('register.search')}</label>
      <input id="place-q" name="q" autocomplete="off" aria-describedby="place-q-hint" />
      <button type="submit">${t('register.find')}</button>
    </form>
    <p class="hint" id="place-q-hint">${t('register.searchHint')}</p>
    <${ErrorBox} error=${error} />
    ${hits.length > 1 ? html`<ul class="chips">${hits.map((h) => html`<li><button type="button" class="chip" onClick=${() => choose(h)}>${hitLabel(h)}</button></li>`)}</ul>` : null}
    <div ref=${el} class="map small-map" role="region"></div>
    <p class="small" aria-live="polite" data-testid="picked">${place.lat !== null
      ? t('register.picked', { lat: place.lat.toFixed(5), lon: place.lon!.toFixed(5) })
      : shown ? t('register.mapShows', { place: shown }) : t('register.clickMap')}</p>
  </fieldset>`;
}

function Nearby({ place, service, caller, onFollowed }: { place: Place; service: string; caller: () => Record<string, string>; onFollowed: (id: string) => void }) {
  // Shown as soon as the place is known (all services, the chosen one first once it is picked).
  const near = useLoad(() => (place.lat !== null ? nearbyCases(place.lat, place.lon!, service || undefined) : Promise.resolve([])), [place.lat, place.lon, service]);
  const [error, setError] = useState<unknown>(null);
  if (!near.data?.length) return null;
  return html`<section class="card nearby" aria-labelledby="nearby-title" data-testid="nearby">
    <h2 id="nearby-title">${t('register.nearbyTitle')}</h2>
    <p>${t('register.nearbyText')}</p>
    <${ErrorBox} error=${error} />
    <ul class="plain">${near.data.map((c) => html`<li>
      ${c.in_scope ? html`<a href=${`/staff/cases/${encodeURIComponent(c.public_id)}`} onClick=${linkClick}>${c.public_id}</a>` : html`<strong>${c.public_id}</strong>`}
      ${' '}<${StatusBadge} status=${c.status} /> ${serviceName(c)}
      <span class="small"> ${t('register.metres', { n: c.distance_m })}</span>
      <div>${c.address ?? ''} – ${c.description.slice(0, 120)}</div>
      <button type="button" onClick=${async () => { try { await addFollower(c.id, caller()); onFollowed(c.public_id); } catch (e) { setError(e); } }}
        aria-describedby="reg-email">
        ${t('register.addFollower')}</button></li>`)}</ul>
  </section>`;
}

function Knowledge({ service, onResolved }: { service: string; onResolved: (answer: string) => void }) {
  const kb = useLoad(() => (service ? knowledge(service).then((r) => r.answers) : Promise.resolve([])), [service]);
  if (!kb.data?.length) return null;
  return html`<section class="card" aria-labelledby="kb-title" data-testid="knowledge">
    <h2 id="kb-title">${t('register.kbTitle')}</h2>
    ${kb.data.map((a) => {
      const title = locale() === 'en' ? (a.title_en ?? a.question_en) : (a.title_sv ?? a.question_sv);
      const answer = locale() === 'en' ? a.answer_en : a.answer_sv;
      return html`<details><summary>${title}</summary><p>${answer}</p>
        <button type="button" onClick=${() => onResolved(answer)}>${t('register.resolved')}</button></details>`;
    })}
  </section>`;
}

const lang = <T extends Record<string, unknown>>(o: T, key: string): string => String(o[`${key}_${locale()}`] ?? o[key] ?? '');

/** One extra question of the service: a choice list as radio buttons, anything else as a text field. */
function AttributeField({ a }: { a: ServiceAttribute }) {
  const label = `${lang(a as unknown as Record<string, unknown>, 'description')}${a.required ? ' *' : ''}`;
  if (!a.values?.length) {
    return html`<div class="field"><label for=${`attr-${a.code}`}>${label}</label><input id=${`attr-${a.code}`} name=${`attr_${a.code}`} required=${a.required} /></div>`;
  }
  return html`<fieldset class="radios"><legend>${label}</legend>
    ${a.values.map((o) => html`<label><input type="radio" name=${`attr_${a.code}`} value=${o.key} required=${a.required} /> ${lang(o, 'name')}</label>`)}
  </fieldset>`;
}

/** The contact centre's registration page. */
export function RegisterPage() {
  usePageTitle(t('register.title'));
  const catalogue = useLoad(services, []);
  const [place, setPlace] = useState<Place>({ lat: null, lon: null, municipality_code: null, label: '' });
  const [service, setService] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ kind: 'created' | 'resolved'; c: Registered } | { kind: 'followed'; id: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen: Service | undefined = catalogue.data?.find((s) => s.service_code === service);

  const formValues = () => Object.fromEntries(new FormData(document.getElementById('register-form') as HTMLFormElement)) as Record<string, string>;
  /** A follower is reached by e-mail, so the caller's address is needed to follow a case. */
  const caller = () => {
    const email = formValues().email?.trim();
    if (!email) {
      document.getElementById('reg-email')?.focus();
      throw new Error(t('register.followNeedsEmail'));
    }
    return { email, locale: locale() };
  };
  async function submit(resolvedWith: string | null) {
    const v = formValues();
    setBusy(true);
    setError(null);
    try {
      const attributes = Object.fromEntries(Object.entries(v).filter(([k]) => k.startsWith('attr_')).map(([k, x]) => [k.slice(5), x]));
      const c = await registerCase({
        service_code: service, channel: v.channel, description: v.description || resolvedWith || '',
        address: v.address || place.label || undefined, lat: place.lat ?? undefined, lon: place.lon ?? undefined,
        municipality_code: place.municipality_code ?? undefined, asset_code: v.asset_code?.trim() || undefined, attributes,
        reporter: { name: v.name || undefined, email: v.email || undefined, phone: v.phone || undefined },
        ...(resolvedWith ? { resolved_at_first_contact: true, resolution: resolvedWith } : {}),
      });
      setResult(resolvedWith ? { kind: 'resolved', c } : { kind: 'created', c });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (result) {
    return html`<h1>${t('register.title')}</h1>
      <div class="card success" role="status" data-testid="register-result">
        ${result.kind === 'followed'
          ? html`<p>${t('register.followed', { id: result.id })}</p>`
          : html`<p>${t(result.kind === 'resolved' ? 'register.doneResolved' : 'register.done', { id: result.c.public_id })}</p>
            <p>${locale() === 'en' ? result.c.routing?.explanation_en : result.c.routing?.explanation_sv}</p>
            ${result.c.in_scope
              ? html`<p><a href=${`/staff/cases/${encodeURIComponent(result.c.public_id)}`} onClick=${linkClick}>${t('register.openCase', { id: result.c.public_id })}</a></p>`
              : html`<p>${t('register.otherBody', { org: result.c.organisation.name })}</p>`}`}
        <button type="button" class="primary" onClick=${() => { setResult(null); setPlace({ lat: null, lon: null, municipality_code: null, label: '' }); setService(''); }}>${t('register.next')}</button>
      </div>`;
  }

  return html`<h1>${t('register.title')}</h1>
    <p class="lead">${t('register.lead')}</p>
    <div class="register-layout">
      <div>
        <${PlaceFinder} place=${place} onPlace=${setPlace} />
        <${Nearby} place=${place} service=${service} caller=${caller} onFollowed=${(id: string) => setResult({ kind: 'followed', id })} />
        <${Knowledge} service=${service} onResolved=${(answer: string) => submit(answer)} />
      </div>
      <form id="register-form" class="card" onSubmit=${(e: Event) => { e.preventDefault(); void submit(null); }} novalidate>
        <fieldset class="radios"><legend>${t('register.channel')}</legend>
          ${['phone', 'email', 'visit'].map((c, i) => html`<label><input type="radio" name="channel" value=${c} checked=${i === 0} /> ${t(`channel.${c}`)}</label>`)}
        </fieldset>
        <div class="field"><label for="reg-service">${t('register.service')}</label>
          <select id="reg-service" name="service_code" required value=${service} onChange=${(e: Event) => setService((e.target as HTMLSelectElement).value)}>
            <option value="">${t('register.chooseService')}</option>
            ${catalogue.data?.map((s) => html`<option value=${s.service_code}>${serviceName(s)}</option>`)}
          </select></div>
        ${chosen?.attributes?.map((a) => html`<${AttributeField} a=${a} />`)}
        <div class="field"><label for="reg-address">${t('register.address')}</label>
          <input id="reg-address" name="address" value=${place.label} onInput=${(e: Event) => setPlace({ ...place, label: (e.target as HTMLInputElement).value })} /></div>
        <div class="field"><label for="reg-asset">${t('register.asset')}</label>
          <input id="reg-asset" name="asset_code" autocomplete="off" aria-describedby="reg-asset-hint" />
          <p class="hint" id="reg-asset-hint">${t('register.assetHint')}</p></div>
        <div class="field"><label for="reg-description">${t('register.description')}</label>
          <textarea id="reg-description" name="description" rows="3"></textarea></div>
        <fieldset><legend>${t('register.caller')}</legend>
          <div class="field"><label for="reg-name">${t('register.name')}</label><input id="reg-name" name="name" autocomplete="off" /></div>
          <div class="row">
            <div class="field"><label for="reg-phone">${t('register.phone')}</label><input id="reg-phone" name="phone" type="tel" autocomplete="off" /></div>
            <div class="field"><label for="reg-email">${t('register.email')}</label><input id="reg-email" name="email" type="email" autocomplete="off" /></div>
          </div>
        </fieldset>
        <${ErrorBox} error=${error} />
        <button type="submit" class="primary" disabled=${busy}>${t('register.submit')}</button>
      </form>
    </div>`;
}
