// Agreements admin (src/agreements): the agreements my organisation provides or is a member municipality
// of; create, edit and end one (changes apply to new cases only), and the follow-up report per buyer
// municipality with a CSV download. Its words live here so the page is one file.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api } from '../../shared/api.js';
import { addMessages, locale, t } from '../../shared/i18n.js';
import { ErrorBox, useLoad, usePageTitle } from '../ui.js';

addMessages('sv', {
  'agr.title': 'Avtal och ansvar', 'agr.new': 'Nytt avtal', 'agr.edit': 'Ändra', 'agr.end': 'Avsluta', 'agr.report': 'Uppföljning',
  'agr.name': 'Benämning', 'agr.reference': 'Avtalsnummer', 'agr.kind': 'Slag', 'agr.provider': 'Utförare', 'agr.members': 'Kommuner',
  'agr.groups': 'Kategorigrupper', 'agr.allServices': 'Alla kategorier', 'agr.from': 'Gäller från', 'agr.to': 'Gäller till (tom = tills vidare)',
  'agr.status': 'Status', 'agr.save': 'Spara', 'agr.cancel': 'Avbryt', 'agr.saved': 'Avtalet är sparat. Det gäller nya ärenden; befintliga behåller sin fördelning.',
  'agr.endConfirm': 'Avsluta avtalet från och med i dag? Nya ärenden fördelas då enligt nästa regel.', 'agr.none': 'Inga avtal.',
  'agr.kind.own': 'Eget ansvar', 'agr.kind.agreement': 'Avtalssamverkan', 'agr.kind.state': 'Statligt', 'agr.kind.contract': 'Entreprenad',
  'agr.status.active': 'Gäller', 'agr.status.upcoming': 'Kommande', 'agr.status.ended': 'Avslutat',
  'agr.period': 'Period', 'agr.show': 'Visa', 'agr.csv': 'Ladda ner CSV', 'agr.col.municipality': 'Kommun', 'agr.col.cases': 'Ärenden',
  'agr.col.closed': 'Avslutade', 'agr.col.open': 'Öppna', 'agr.col.median': 'Median handläggningstid (h)', 'agr.col.sla': 'Inom servicenivå (%)',
});
addMessages('en', {
  'agr.title': 'Agreements and responsibilities', 'agr.new': 'New agreement', 'agr.edit': 'Edit', 'agr.end': 'End', 'agr.report': 'Follow-up',
  'agr.name': 'Title', 'agr.reference': 'Reference number', 'agr.kind': 'Kind', 'agr.provider': 'Provider', 'agr.members': 'Municipalities',
  'agr.groups': 'Service groups', 'agr.allServices': 'All services', 'agr.from': 'Valid from', 'agr.to': 'Valid to (empty = until further notice)',
  'agr.status': 'Status', 'agr.save': 'Save', 'agr.cancel': 'Cancel', 'agr.saved': 'The agreement is saved. It applies to new cases; existing ones keep their routing.',
  'agr.endConfirm': 'End the agreement as of today? New cases then follow the next rule.', 'agr.none': 'No agreements.',
  'agr.kind.own': 'Own responsibility', 'agr.kind.agreement': 'Cooperation agreement', 'agr.kind.state': 'State', 'agr.kind.contract': 'Contract',
  'agr.status.active': 'In force', 'agr.status.upcoming': 'Upcoming', 'agr.status.ended': 'Ended',
  'agr.period': 'Period', 'agr.show': 'Show', 'agr.csv': 'Download CSV', 'agr.col.municipality': 'Municipality', 'agr.col.cases': 'Cases',
  'agr.col.closed': 'Closed', 'agr.col.open': 'Open', 'agr.col.median': 'Median handling time (h)', 'agr.col.sla': 'Within service level (%)',
});

interface Agreement {
  id: number; title: string; reference: string | null; kind: string; provider_organisation_id: number; provider_name_sv: string; provider_name_en: string;
  municipality_codes: string[]; areas: { id: number }[]; member_municipalities: { code: string; name: string }[]; all_services: boolean;
  service_codes: string[]; group_codes: string[]; valid_from: string; valid_to: string | null; status: string;
}
interface Options {
  organisations: { id: number; name_sv: string; name_en: string }[];
  municipalities: { code: string; name: string }[];
  groups: { code: string; name_sv: string; name_en: string }[];
}
interface ReportRow { municipality_code: string | null; municipality: string; cases: number; closed: number; open: number; median_handling_hours: number | null; sla_compliance_percent: number | null }

const KINDS = ['own', 'agreement', 'state', 'contract'];
const name = (o: { name_sv: string; name_en: string }) => (locale() === 'en' ? o.name_en : o.name_sv);
const today = () => new Date().toISOString().slice(0, 10);

function AgreementForm({ agreement, options, onSaved, onCancel }: { agreement: Agreement | null; options: Options; onSaved: () => void; onCancel: () => void }) {
  const [error, setError] = useState<unknown>(null);
  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const all = f.get('all_services') === 'on';
    const body = {
      title: String(f.get('title')), reference: String(f.get('reference') || '') || null, kind: String(f.get('kind')),
      provider_organisation_id: Number(f.get('provider')), municipality_codes: f.getAll('municipality').map(String),
      area_ids: agreement?.areas.map((a) => a.id) ?? [], all_services: all, group_codes: all ? [] : f.getAll('group').map(String),
      service_codes: all ? [] : agreement?.service_codes ?? [], valid_from: String(f.get('valid_from')), valid_to: String(f.get('valid_to') || '') || null,
    };
    try {
      await api(agreement ? `/api/admin/agreements/${agreement.id}` : '/api/admin/agreements', { method: agreement ? 'PUT' : 'POST', body });
      onSaved();
    } catch (err) {
      setError(err);
    }
  }
  const a = agreement;
  return html`<form class="card" onSubmit=${submit} data-testid="agreement-form">
    <h2>${a ? `${t('agr.edit')}: ${a.title}` : t('agr.new')}</h2>
    <${ErrorBox} error=${error} />
    <div class="field"><label for="agr-title">${t('agr.name')}</label><input id="agr-title" name="title" required maxlength="200" value=${a?.title ?? ''} /></div>
    <div class="field"><label for="agr-ref">${t('agr.reference')}</label><input id="agr-ref" name="reference" maxlength="60" value=${a?.reference ?? ''} /></div>
    <div class="field"><label for="agr-kind">${t('agr.kind')}</label><select id="agr-kind" name="kind">
      ${KINDS.map((k) => html`<option value=${k} selected=${(a?.kind ?? 'agreement') === k}>${t(`agr.kind.${k}`)}</option>`)}</select></div>
    <div class="field"><label for="agr-provider">${t('agr.provider')}</label><select id="agr-provider" name="provider">
      ${options.organisations.map((o) => html`<option value=${String(o.id)} selected=${a?.provider_organisation_id === o.id}>${name(o)}</option>`)}</select></div>
    <div class="field"><label for="agr-members">${t('agr.members')}</label><select id="agr-members" name="municipality" multiple size="6">
      ${options.municipalities.map((m) => html`<option value=${m.code} selected=${a?.municipality_codes.includes(m.code)}>${m.name} (${m.code})</option>`)}</select></div>
    <fieldset><legend>${t('agr.groups')}</legend>
      <label><input type="checkbox" name="all_services" checked=${a?.all_services} /> ${t('agr.allServices')}</label>
      ${options.groups.map((g) => html`<label><input type="checkbox" name="group" value=${g.code} checked=${a?.group_codes.includes(g.code)} /> ${name(g)}</label>`)}
    </fieldset>
    <div class="field"><label for="agr-from">${t('agr.from')}</label><input id="agr-from" name="valid_from" type="date" required value=${a?.valid_from ?? today()} /></div>
    <div class="field"><label for="agr-to">${t('agr.to')}</label><input id="agr-to" name="valid_to" type="date" value=${a?.valid_to ?? ''} /></div>
    <button type="submit" class="primary">${t('agr.save')}</button> <button type="button" onClick=${onCancel}>${t('agr.cancel')}</button>
  </form>`;
}

function Report({ agreement }: { agreement: Agreement }) {
  const [from, setFrom] = useState(`${today().slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today());
  const url = `/api/admin/agreements/${agreement.id}/report?from=${from}&to=${to}`;
  const report = useLoad(() => api<{ rows: ReportRow[] }>(url), [url]);
  return html`<section class="card" aria-labelledby="agr-report-h">
    <h2 id="agr-report-h">${t('agr.report')}: ${agreement.title}</h2>
    <p><label>${t('agr.period')} <input type="date" value=${from} onChange=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} /></label>
      – <input type="date" aria-label=${t('agr.to')} value=${to} onChange=${(e: Event) => setTo((e.target as HTMLInputElement).value)} />
      <a href=${`${url}&format=csv`} download>${t('agr.csv')}</a></p>
    <${ErrorBox} error=${report.error} />
    <table><thead><tr><th scope="col">${t('agr.col.municipality')}</th><th scope="col">${t('agr.col.cases')}</th><th scope="col">${t('agr.col.closed')}</th>
      <th scope="col">${t('agr.col.open')}</th><th scope="col">${t('agr.col.median')}</th><th scope="col">${t('agr.col.sla')}</th></tr></thead>
      <tbody>${(report.data?.rows ?? []).map((r) => html`<tr><th scope="row">${r.municipality}</th><td>${r.cases}</td><td>${r.closed}</td><td>${r.open}</td>
        <td>${r.median_handling_hours ?? '–'}</td><td>${r.sla_compliance_percent ?? '–'}</td></tr>`)}</tbody></table>
  </section>`;
}

/** The agreements page at /staff/agreements. */
export function AgreementsPage() {
  usePageTitle(t('agr.title'));
  const list = useLoad(() => api<{ agreements: Agreement[] }>('/api/admin/agreements'), []);
  const options = useLoad(() => api<Options>('/api/admin/agreements/options'), []);
  const [editing, setEditing] = useState<Agreement | 'new' | null>(null);
  const [reporting, setReporting] = useState<Agreement | null>(null);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<unknown>(null);
  async function end(a: Agreement) {
    if (!confirm(t('agr.endConfirm'))) return;
    try {
      await api(`/api/admin/agreements/${a.id}/end`, { method: 'POST', body: {} });
      list.reload();
    } catch (err) {
      setError(err);
    }
  }
  const rows = list.data?.agreements ?? [];
  return html`<h1>${t('agr.title')}</h1>
    <${ErrorBox} error=${list.error ?? error} />
    <p role="status" class=${message ? 'success' : 'sr-only'}>${message}</p>
    ${editing && options.data
      ? html`<${AgreementForm} agreement=${editing === 'new' ? null : editing} options=${options.data}
          onSaved=${() => { setEditing(null); setMessage(t('agr.saved')); list.reload(); }} onCancel=${() => setEditing(null)} />`
      : html`<p><button type="button" class="primary" onClick=${() => setEditing('new')}>${t('agr.new')}</button></p>`}
    ${!list.loading && rows.length === 0 ? html`<p class="empty">${t('agr.none')}</p>` : null}
    <table data-testid="agreements"><thead><tr><th scope="col">${t('agr.name')}</th><th scope="col">${t('agr.reference')}</th><th scope="col">${t('agr.kind')}</th>
      <th scope="col">${t('agr.provider')}</th><th scope="col">${t('agr.members')}</th><th scope="col">${t('agr.from')}</th><th scope="col">${t('agr.status')}</th><th scope="col"></th></tr></thead>
      <tbody>${rows.map((a) => html`<tr>
        <th scope="row">${a.title}</th><td>${a.reference ?? ''}</td><td>${t(`agr.kind.${a.kind}`)}</td><td>${name({ name_sv: a.provider_name_sv, name_en: a.provider_name_en })}</td>
        <td>${a.member_municipalities.map((m) => m.name).join(', ')}</td><td>${a.valid_from}${a.valid_to ? ` – ${a.valid_to}` : ''}</td><td>${t(`agr.status.${a.status}`)}</td>
        <td><button type="button" class="link" onClick=${() => setEditing(a)}>${t('agr.edit')}</button>
          ${a.status !== 'ended' ? html` <button type="button" class="link" onClick=${() => end(a)}>${t('agr.end')}</button>` : null}
          <button type="button" class="link" onClick=${() => setReporting(a)}>${t('agr.report')}</button></td>
      </tr>`)}</tbody></table>
    ${reporting ? html`<${Report} agreement=${reporting} />` : null}`;
}
