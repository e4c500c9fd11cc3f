// The public page of a case (by number) and the reporter's private page (by follow token): status in
// plain words, who handles it, the public timeline, photos, a small map, "not fixed?" and e-mail updates.
// The server never sends personal data here, so nothing needs hiding.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../../shared/i18n.js';
import { getBoundaries, getCase, getFollowed, reopen, subscribe, type PublicCase } from '../api.js';
import { errorText, Field, focusSoon, formatDate, LoadState, StatusBadge, useLoad, w } from '../ui.js';

function SmallMap(props: { c: PublicCase }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let destroy = () => {};
    import('../map.js').then(({ createMap }) => {
      if (!el.current || props.c.lat === null || props.c.lon === null) return;
      const map = createMap(el.current, { label: t('case.map_label'), tileUrl: null });
      map.setMarkers([{ lat: props.c.lat, lon: props.c.lon, label: props.c.case_number, href: `/arende/${props.c.case_number}`, open: props.c.open }]);
      map.setPin(props.c.lat, props.c.lon);
      destroy = () => map.destroy();
      getBoundaries(props.c.municipality.code).then((b) => map.addBoundaries(b), () => undefined);
    }, () => undefined);
    return () => destroy();
  }, [props.c.case_number]);
  return html`<div ref=${el} class="map map-small"></div>`;
}

function ReopenForm(props: { c: PublicCase; onDone: (c: PublicCase) => void }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function send(e: Event) {
    e.preventDefault();
    if (!comment.trim()) {
      setError(t('reopen.required'));
      focusSoon('#reopen-comment');
      return;
    }
    setBusy(true);
    try {
      props.onDone(await reopen(props.c.case_number, comment));
      focusSoon('#case-status');
    } catch (err) {
      setError(errorText(err));
      focusSoon('#reopen-comment');
    } finally {
      setBusy(false);
    }
  }
  return html`<section class="panel" aria-labelledby="reopen-title">
    <h2 id="reopen-title">${t('reopen.title')}</h2>
    <p>${t('reopen.text', { date: formatDate(props.c.reopen_until, false) })}</p>
    <form onSubmit=${send} novalidate>
      <${Field} id="reopen-comment" label=${t('reopen.comment')} error=${error}>
        ${(d: string | undefined) => html`<textarea id="reopen-comment" rows="3" aria-describedby=${d} aria-invalid=${error ? 'true' : undefined}
          onInput=${(e: Event) => setComment((e.target as HTMLTextAreaElement).value)}>${comment}</textarea>`}
      </${Field}>
      <button type="submit" class="primary" disabled=${busy}>${t('reopen.button')}</button>
    </form>
  </section>`;
}

function SubscribeForm(props: { c: PublicCase }) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  async function send(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      await subscribe(props.c.case_number, email, locale());
      setDone(true);
      setError('');
    } catch (err) {
      setError(errorText(err));
      focusSoon('#subscribe-email');
    } finally {
      setBusy(false);
    }
  }
  return html`<section class="panel" id="follow" aria-labelledby="subscribe-title">
    <h2 id="subscribe-title">${t('subscribe.title')}</h2>
    ${done ? html`<p role="status" class="notice notice-ok">${t('subscribe.done', { email })}</p>` : html`
      <p>${t('subscribe.text')}</p>
      <form onSubmit=${send} novalidate>
        <${Field} id="subscribe-email" label=${t('contact.email')} hint=${t('subscribe.hint')} error=${error}>
          ${(d: string | undefined) => html`<input id="subscribe-email" type="email" autocomplete="email" value=${email} aria-describedby=${d}
            aria-invalid=${error ? 'true' : undefined} onInput=${(e: Event) => setEmail((e.target as HTMLInputElement).value)} />`}
        </${Field}>
        <button type="submit" class="primary" disabled=${busy}>${t('subscribe.button')}</button>
      </form>`}
  </section>`;
}

function CaseView(props: { c: PublicCase; isPrivate: boolean; onChange: (c: PublicCase) => void }) {
  const c = props.c;
  useEffect(() => {
    document.title = `${c.case_number} – ${w(c.service)} – Ingång`;
  }, [c.case_number, locale()]);
  return html`<article class="case">
    <h1 id="page-title" tabindex="-1">${w(c.service)} <span class="case-no">${c.case_number}</span></h1>
    ${props.isPrivate ? html`<p class="notice">${t('case.private_note')}</p>` : ''}
    <p class="status-line" id="case-status" tabindex="-1">${t('case.status')}: <${StatusBadge} status=${c.status} open=${c.open} label=${c.status_label} />
      <span class="status-text">${t(`status_text.${c.status}`)}</span></p>
    ${c.duplicate_of ? html`<p>${t('case.duplicate_of')} <a href=${`/arende/${c.duplicate_of}`}>${c.duplicate_of}</a></p>` : ''}
    <dl class="facts">
      <dt>${t('case.handled_by')}</dt><dd>${w(c.organisation)}</dd>
      <dt>${t('case.reported')}</dt><dd>${formatDate(c.requested_at)}</dd>
      ${c.open && c.sla_due_at ? html`<dt>${t('case.expected')}</dt><dd>${formatDate(c.sla_due_at)}</dd>` : ''}
      ${c.closed_at ? html`<dt>${t('case.closed')}</dt><dd>${formatDate(c.closed_at)}</dd>` : ''}
      <dt>${t('case.place')}</dt><dd>${[c.address, c.postal_code && `${c.postal_code.slice(0, 3)} ${c.postal_code.slice(3)}`, c.municipality.name].filter(Boolean).join(', ')}
        ${c.approximate && c.lat !== null ? html` <span class="muted">(${t('case.approximate')})</span>` : ''}</dd>
    </dl>
    ${c.description ? html`<h2>${t('case.description')}</h2><p class="description">${c.description}</p>` : ''}
    ${c.photos.length > 0 ? html`<h2>${t('case.photos')}</h2><ul class="photos">${c.photos.map((p, i) => html`<li>
      <a href=${p.url}><img src=${p.url} width=${p.width ?? undefined} height=${p.height ?? undefined} alt=${t('case.photo_alt', { n: i + 1, service: w(c.service) })} loading="lazy" /></a></li>`)}</ul>` : ''}
    ${c.lat !== null ? html`<${SmallMap} c=${c} />` : ''}
    <h2>${t('case.timeline')}</h2>
    <ol class="timeline">${c.timeline.map((e) => html`<li>
      <p class="when">${formatDate(e.at)}${e.by ? html` · ${w(e.by)}` : ''}</p>
      <p><strong>${e.kind === 'created' ? t('timeline.created') : e.status_label ? w(e.status_label) : t('timeline.update')}</strong></p>
      ${e.body ? html`<p class="body">${e.body}</p>` : ''}
    </li>`)}</ol>
    ${c.reopen_until ? html`<${ReopenForm} c=${c} onDone=${props.onChange} />` : ''}
    <${SubscribeForm} c=${c} />
    <p><a href=${`/k/${c.municipality.code}/arenden`}>${t('case.more_in', { name: c.municipality.name })}</a></p>
  </article>`;
}

/** /arende/<number> and /f/<token>. */
export function CasePage(props: { number?: string; token?: string }) {
  const load = useLoad(() => (props.token ? getFollowed(props.token) : getCase(props.number!)), props.token ?? props.number ?? '');
  const [current, setCurrent] = useState<PublicCase | null>(null);
  useEffect(() => setCurrent(null), [props.number, props.token]);
  useEffect(() => {
    if (load.data && location.hash === '#follow') focusSoon('#subscribe-email');
  }, [load.data]);
  const c = current ?? load.data;
  if (!c) return html`<${LoadState} error=${load.error} />`;
  return html`<${CaseView} c=${c} isPrivate=${Boolean(props.token)} onChange=${setCurrent} />`;
}
