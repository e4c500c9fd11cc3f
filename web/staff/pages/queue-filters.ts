// The queue's filter bar and saved views. Filters live in the URL, so a view is a query string that can be
// saved, shared and bookmarked.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from '../../shared/i18n.js';
import { deleteView, saveView, type SavedView, type Service } from '../api.js';
import { ErrorBox, serviceName, statusLabel } from '../ui.js';

/** URL parameters of the queue: the server's own query names, so a saved view is the query itself. */
export const FILTER_KEYS = ['status', 'open', 'service', 'municipality', 'priority', 'sla', 'assignee', 'contractor', 'channel', 'sort'] as const;
const STATES = ['submitted', 'confirmed', 'investigating', 'in_progress', 'action_scheduled', 'reopened', 'fixed', 'closed', 'duplicate', 'forwarded', 'no_further_action'];
const CHANNELS = ['web', 'open311', 'phone', 'email', 'visit', 'alarm', 'import'];
const SORTS = ['due_asc', 'requested_desc', 'priority', 'updated_desc'];

/** The one "state" control stands for the server's `open` and `status` parameters. */
function stateValue(f: Record<string, string>): string {
  if (f.status) return f.status;
  if (f.open === 'false') return 'closed';
  return f.open === 'true' || f.open === undefined ? '' : 'all';
}

/** Filters after the "state" control changed. */
export function withState(f: Record<string, string>, value: string): Record<string, string> {
  const { status: _s, open: _o, ...rest } = f;
  if (value === '') return rest;
  if (value === 'all') return { ...rest, open: 'any' };
  if (value === 'closed') return { ...rest, open: 'false' };
  return { ...rest, status: value };
}

/** The server query for the URL filters ("any" means no open filter; no parameter means only open cases). */
export function serverQuery(f: Record<string, string>): Record<string, string> {
  const { open, ...rest } = f;
  if (open === 'any') return rest;
  if (open === undefined && !rest.status) return { ...rest, open: 'true' };
  return open === undefined ? rest : { ...rest, open };
}

function Select({ name, label, value, options, onChange }: {
  name: string; label: string; value: string; options: [string, string][]; onChange: (name: string, value: string) => void;
}) {
  return html`<div class="field compact"><label for=${`f-${name}`}>${label}</label>
    <select id=${`f-${name}`} name=${name} value=${value} onChange=${(e: Event) => onChange(name, (e.target as HTMLSelectElement).value)}>
      ${options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
    </select></div>`;
}

/** The filter controls; every change updates the URL (and so the list and the map). */
export function Filters({ filters, catalogue, municipalities, onChange }: {
  filters: Record<string, string>; catalogue: Service[] | undefined; municipalities: [string, string][]; onChange: (name: string, value: string) => void;
}) {
  const all: [string, string] = ['', t('filter.all')];
  return html`<form class="filters" role="search" aria-label=${t('filter.label')} onSubmit=${(e: Event) => e.preventDefault()}>
    <${Select} name="state" label=${t('filter.status')} value=${stateValue(filters)} onChange=${onChange}
      options=${[['', t('filter.allOpen')], ['all', t('filter.allStates')], ['closed', t('filter.closed')], ...STATES.map((s) => [s, statusLabel(s)])]} />
    <${Select} name="service" label=${t('filter.service')} value=${filters.service ?? ''} onChange=${onChange}
      options=${[all, ...(catalogue ?? []).map((s) => [s.service_code, serviceName(s)])]} />
    <${Select} name="municipality" label=${t('filter.area')} value=${filters.municipality ?? ''} onChange=${onChange}
      options=${[all, ...municipalities]} />
    <${Select} name="priority" label=${t('filter.priority')} value=${filters.priority ?? ''} onChange=${onChange}
      options=${[all, ...[1, 2, 3].map((p) => [String(p), `P${p} – ${t(`priority.${p}`)}`])]} />
    <${Select} name="sla" label=${t('filter.sla')} value=${filters.sla ?? ''} onChange=${onChange}
      options=${[all, ['breached', t('sla.breached')], ['at_risk', t('sla.at_risk')], ['ok', t('sla.ok')], ['none', t('sla.none')]]} />
    <${Select} name="assignee" label=${t('filter.assignee')} value=${filters.assignee ?? ''} onChange=${onChange}
      options=${[all, ['me', t('filter.me')], ['none', t('filter.unassigned')]]} />
    <${Select} name="contractor" label=${t('filter.contractor')} value=${filters.contractor ?? ''} onChange=${onChange}
      options=${[all, ['any', t('filter.atContractor')], ['none', t('filter.noContractor')]]} />
    <${Select} name="channel" label=${t('filter.channel')} value=${filters.channel ?? ''} onChange=${onChange}
      options=${[all, ...CHANNELS.map((c) => [c, t(`channel.${c}`)])]} />
    <${Select} name="sort" label=${t('filter.sort')} value=${filters.sort ?? 'requested_desc'} onChange=${onChange}
      options=${SORTS.map((s) => [s, t(`sort.${s}`)])} />
  </form>`;
}

/** Pick, save and delete saved views (personal or shared with the organisation). */
export function SavedViews({ views, filters, onApply, onChanged }: {
  views: SavedView[]; filters: Record<string, string>; onApply: (f: SavedView['filters']) => void; onChanged: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  async function save(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    try {
      await saveView(String(data.get('name')), filters, data.get('shared') === 'on');
      form.reset();
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  }
  return html`<section class="views" aria-labelledby="views-title">
    <h2 id="views-title" class="h-small">${t('views.title')}</h2>
    <${ErrorBox} error=${error} />
    <ul class="chips">
      ${views.map((v) => html`<li>
        <button type="button" class="chip" onClick=${() => onApply(v.filters)}>${v.name}${v.shared ? html` <span class="small">(${t('views.shared')})</span>` : ''}</button>
        <button type="button" class="chip-x" aria-label=${t('views.delete', { name: v.name })}
          onClick=${async () => { await deleteView(v.id).catch(setError); onChanged(); }}>×</button></li>`)}
      ${views.length === 0 ? html`<li class="muted">${t('views.none')}</li>` : null}
    </ul>
    <form class="inline" onSubmit=${save}>
      <label for="view-name">${t('views.name')}</label>
      <input id="view-name" name="name" required maxlength="80" />
      <label class="check"><input type="checkbox" name="shared" /> ${t('views.shareWithOrg')}</label>
      <button type="submit">${t('views.save')}</button>
    </form>
  </section>`;
}
