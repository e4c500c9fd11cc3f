// The report form: where → what → describe and photos → contact (optional) → "already reported?" → send.
// One request sends everything (multipart); a double click makes one case (button disabled while
// sending, and an Idempotency-Key the server honours). A failed send keeps every field and photo.
import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { locale, t } from '../../shared/i18n.js';
import { ApiError } from '../../shared/api.js';
import { nearby, sendReport, type CaseSummary, type Group, type Municipality, type Receipt } from '../api.js';
import { resizePhoto } from '../photos.js';
import { ErrorSummary, errorText, Field, focusSoon, w, type FieldErrors } from '../ui.js';
import { CategorySection } from './report-category.js';
import { PlaceSection, type Location } from './report-place.js';
import { ReceiptView } from './receipt.js';

const MAX_PHOTOS = 5;
/** Server field → the field that shows its error. */
const ERROR_FIELD: Record<string, string> = { lat: 'address', lon: 'address', postal_code: 'address', municipality_code: 'address' };
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

function fieldLabels(): Record<string, string> {
  return { address: t('place.title'), service_code: t('what.category'), description: t('details.description'), photos: t('details.photos'),
    name: t('contact.name'), email: t('contact.email'), phone: t('contact.phone') };
}

/** The start page's form; `municipality` scopes it to /k/<kod>. */
export function ReportForm(props: { groups: Group[]; municipality: Municipality | null; tileUrl: string | null }) {
  const [location, setLocation] = useState<Location>(null);
  const [address, setAddress] = useState('');
  const [query, setQuery] = useState('');
  const [serviceCode, setServiceCode] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, string | string[]>>({});
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [contact, setContact] = useState({ name: '', email: '', phone: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState('');
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newKey);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [similar, setSimilar] = useState<CaseSummary[]>([]);
  const service = useMemo(() => props.groups.flatMap((g) => g.services).find((s) => s.service_code === serviceCode), [serviceCode, props.groups]);

  // A changed form is a new report: a new key, so it is not mistaken for a repeat of the last one.
  useEffect(() => setKey(newKey()), [location, address, serviceCode, answers, description, photos, contact]);

  useEffect(() => {
    setSimilar([]);
    if (!serviceCode || !location) return;
    const query = location.kind === 'pin' ? { service_code: serviceCode, lat: location.lat, lon: location.lon }
      : { service_code: serviceCode, postal_code: location.place.postal_code ?? undefined };
    if (location.kind === 'area' && !location.place.postal_code) return;
    let live = true;
    nearby(query).then((r) => live && setSimilar(r.cases), () => undefined);
    return () => {
      live = false;
    };
  }, [serviceCode, location]);

  const onLocation = (l: Location) => {
    setLocation(l);
    setErrors(({ address: _, ...rest }) => rest);
  };

  async function addPhotos(e: Event) {
    const input = e.target as HTMLInputElement;
    const chosen = [...(input.files ?? [])];
    input.value = '';
    const room = MAX_PHOTOS - photos.length;
    if (chosen.length > room) setErrors((x) => ({ ...x, photos: t('details.too_many', { n: MAX_PHOTOS }) }));
    else setErrors(({ photos: _, ...rest }) => rest);
    const resized = await Promise.all(chosen.slice(0, Math.max(0, room)).map(resizePhoto));
    setPhotos((p) => [...p, ...resized].slice(0, MAX_PHOTOS));
  }

  function check(): FieldErrors {
    const found: FieldErrors = {};
    if (!location && !address.trim()) found.address = t('place.required');
    if (!serviceCode) found.service_code = t('what.required');
    for (const a of service?.attributes ?? []) {
      const v = answers[a.code];
      if (a.required && (v === undefined || v === '' || (Array.isArray(v) && v.length === 0))) found[`attribute[${a.code}]`] = t('what.answer_required');
    }
    if (contact.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact.email.trim())) found.email = t('contact.email_invalid');
    return found;
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (sending) return;
    setGeneral('');
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusSoon('#error-summary');
      return;
    }
    const form = new FormData();
    form.set('service_code', serviceCode!);
    form.set('description', description);
    form.set('locale', locale());
    if (location?.kind === 'pin') {
      form.set('lat', location.lat.toFixed(7));
      form.set('lon', location.lon.toFixed(7));
      if (location.how === 'asset') form.set('asset_code', location.asset);
    } else if (location?.kind === 'area') {
      if (location.place.postal_code) form.set('postal_code', location.place.postal_code);
      else form.set('municipality_code', location.place.municipality_code);
    } else if (props.municipality) form.set('municipality_code', props.municipality.code);
    if (address.trim()) form.set('address', address.trim());
    for (const [code, value] of Object.entries(answers)) for (const v of Array.isArray(value) ? value : [value]) form.append(`attribute[${code}]`, v);
    for (const [k, v] of Object.entries(contact)) if (v.trim()) form.set(k, v.trim());
    for (const p of photos) form.append('photos', p, p.name);
    setSending(true);
    try {
      const r = await sendReport(form, key);
      setReceipt(r);
      focusSoon('#receipt-title');
      window.scrollTo(0, 0);
    } catch (err) {
      if (err instanceof ApiError && err.field) {
        const field = ERROR_FIELD[err.field] ?? (err.field.startsWith('photos') ? 'photos' : err.field);
        setErrors({ [field]: errorText(err) });
        focusSoon('#error-summary');
      } else {
        setGeneral(errorText(err));
        focusSoon('#general-error');
      }
    } finally {
      setSending(false);
    }
  }

  if (receipt) return html`<${ReceiptView} receipt=${receipt} />`;

  const attributeIds = Object.fromEntries((service?.attributes ?? []).map((a) => [`attribute[${a.code}]`, `attr-${a.code}`]));
  const labels = { ...fieldLabels(), ...Object.fromEntries((service?.attributes ?? []).map((a) => [`attribute[${a.code}]`, locale() === 'en' ? a.description_en : a.description_sv])) };
  const invalid = (f: string) => (errors[f] ? 'true' : undefined);
  return html`<form class="report" onSubmit=${submit} novalidate aria-labelledby="report-title">
    <${ErrorSummary} errors=${errors} labels=${labels} fieldIds=${{ address: 'address', service_code: 'service_code', ...attributeIds }} />
    ${general ? html`<div class="notice notice-error" role="alert" id="general-error" tabindex="-1"><p>${general}</p></div>` : ''}
    <${PlaceSection} municipality=${props.municipality} serviceCode=${serviceCode} tileUrl=${props.tileUrl} location=${location} address=${address}
      error=${errors.address} onLocation=${onLocation} onAddress=${setAddress} />
    <${CategorySection} groups=${props.groups} query=${query} serviceCode=${serviceCode} answers=${answers} errors=${errors}
      onQuery=${setQuery} onService=${(c: string) => { setServiceCode(c); setAnswers({}); setErrors(({ service_code: _, ...rest }) => rest); }}
      onAnswer=${(code: string, v: string | string[]) => setAnswers((x) => ({ ...x, [code]: v }))} />
    <div aria-live="polite">${similar.length > 0 ? html`<aside class="notice similar" aria-labelledby="similar-title">
      <h2 id="similar-title">${t('similar.title')}</h2>
      <p>${t('similar.text', { n: similar.length })}</p>
      <ul>${similar.map((c) => html`<li><a href=${`/arende/${c.case_number}`}>${c.case_number}</a> – ${w(c.service)}, ${w(c.status_label).toLowerCase()}
        ${c.distance_m != null ? html` <span class="muted">(${t('similar.distance', { m: c.distance_m })})</span>` : ''}${c.excerpt ? html`: <q>${c.excerpt}</q>` : ''}
        <a class="follow-instead" href=${`/arende/${c.case_number}#follow`}>${t('similar.follow')}</a></li>`)}</ul>
      <p class="hint">${t('similar.still')}</p>
    </aside>` : ''}</div>
    <section class="step" aria-labelledby="step-details">
      <h2 id="step-details"><span class="step-no">3</span> ${t('details.title')}</h2>
      <${Field} id="description" label=${t('details.description')} hint=${t('details.description_hint')} optional error=${errors.description}>
        ${(d: string | undefined) => html`<textarea id="description" rows="4" maxlength="4000" aria-describedby=${d} aria-invalid=${invalid('description')}
          onInput=${(e: Event) => setDescription((e.target as HTMLTextAreaElement).value)}>${description}</textarea>`}
      </${Field}>
      <${Field} id="photos" label=${t('details.photos')} hint=${t('details.photos_hint', { n: MAX_PHOTOS })} optional error=${errors.photos}>
        ${(d: string | undefined) => html`<input id="photos" type="file" accept="image/jpeg,image/png,image/webp,image/*" multiple
          disabled=${photos.length >= MAX_PHOTOS} aria-describedby=${d} aria-invalid=${invalid('photos')} onChange=${addPhotos} />`}
      </${Field}>
      ${photos.length > 0 ? html`<ul class="thumbs" aria-label=${t('details.chosen')}>${photos.map((p, i) => html`<li>
        <img src=${URL.createObjectURL(p)} alt=${t('details.photo_n', { n: i + 1 })} />
        <button type="button" class="link" onClick=${() => setPhotos(photos.filter((_, j) => j !== i))}>${t('details.remove', { n: i + 1 })}</button>
      </li>`)}</ul>` : ''}
    </section>
    <section class="step" aria-labelledby="step-contact">
      <h2 id="step-contact"><span class="step-no">4</span> ${t('contact.title')}</h2>
      <p class="privacy">${t('contact.statement')}</p>
      ${(['name', 'email', 'phone'] as const).map((f) => html`<${Field} id=${f} label=${t(`contact.${f}`)} optional error=${errors[f]}
        hint=${f === 'email' ? t('contact.email_hint') : undefined}>
        ${(d: string | undefined) => html`<input id=${f} type=${f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'} value=${contact[f]}
          autocomplete=${f === 'name' ? 'name' : f === 'email' ? 'email' : 'tel'} aria-describedby=${d} aria-invalid=${invalid(f)}
          onInput=${(e: Event) => setContact((c) => ({ ...c, [f]: (e.target as HTMLInputElement).value }))} />`}
      </${Field}>`)}
    </section>
    <div class="send">
      <button type="submit" class="primary" id="send" disabled=${sending} aria-disabled=${sending ? 'true' : undefined}>
        ${sending ? t('send.sending') : t('send.button')}
      </button>
      <p class="hint">${t('send.public_note')}</p>
    </div>
  </form>`;
}
