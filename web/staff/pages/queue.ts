// The queue: filtered, sorted list with counts, saved views, a map of the same cases beside it, and
// keyboard shortcuts for triage (j/k move, Enter open, a assign, s state, ? help).
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../../shared/i18n.js';
import { assignees, listCases, listViews, services, transitions, type CaseSummary, type SavedView } from '../api.js';
import { linkClick, navigate } from '../router.js';
import { ErrorBox, formatTime, Modal, PriorityBadge, serviceName, SlaBadge, StatusBadge, useLoad, usePageTitle } from '../ui.js';
import { FILTER_KEYS, Filters, SavedViews, serverQuery, withState } from './queue-filters.js';
import { AssignForm, StatusForm } from './case-actions.js';
import { CasesMap } from './cases-map.js';
import { ShortcutHelp, useShortcuts } from './shortcuts.js';

function filtersOf(query: URLSearchParams): Record<string, string> {
  const f: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** A saved view's filters as URL parameters (a view without state filters meant every state). */
function fromView(f: SavedView['filters']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if ((FILTER_KEYS as readonly string[]).includes(k)) out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  if (out.open === undefined && out.status === undefined) out.open = 'any';
  return out;
}

function toUrl(filters: Record<string, string>): string {
  const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const s = q.toString();
  return `/staff/cases${s ? `?${s}` : ''}`;
}

/** The case handler's queue. */
export function QueuePage({ search }: { search: URLSearchParams }) {
  usePageTitle(t('queue.title'));
  const filters = filtersOf(search);
  const key = JSON.stringify(filters);
  const query = serverQuery(filters);
  const list = useLoad(() => listCases(query), [key]);
  const catalogue = useLoad(services, []);
  const people = useLoad(assignees, []);
  const table = useLoad(transitions, []);
  const views = useLoad(() => listViews().then((r) => r.views), []);
  const [selected, setSelected] = useState(0);
  const [dialog, setDialog] = useState<null | 'assign' | 'status' | 'help'>(null);
  // A native dialog's "close" event comes a moment after Escape; a shortcut pressed in that moment has already
  // opened the next dialog, which the late event must not close. (Each kind also gets its own Modal: the key.)
  const closeDialog = (kind: typeof dialog) => setDialog((open) => (open === kind ? null : open));
  // Further pages (keyset cursor) appended below the first; reset when the filters or the first page change.
  const [more, setMore] = useState<{ rows: CaseSummary[]; cursor?: string | null }>({ rows: [] });
  useEffect(() => setMore({ rows: [] }), [list.data]);
  const rows = [...(list.data?.cases ?? []), ...more.rows];
  const cursor = more.cursor === undefined ? list.data?.next_cursor : more.cursor;
  const loadMore = async () => {
    const page = await listCases({ ...query, cursor: cursor! });
    setMore({ rows: [...more.rows, ...page.cases], cursor: page.next_cursor });
  };
  const current: CaseSummary | undefined = rows[selected];
  const tableRef = useRef<HTMLTableElement>(null);
  const seenMunicipalities = useRef(new Map<string, string>());
  for (const c of rows) seenMunicipalities.current.set(c.municipality_code, c.municipality_name ?? c.municipality_code);
  if (filters.municipality) seenMunicipalities.current.set(filters.municipality, seenMunicipalities.current.get(filters.municipality) ?? filters.municipality);
  const municipalities = useMemo(() => [...seenMunicipalities.current.entries()].sort((a, b) => a[1].localeCompare(b[1], 'sv')), [rows]);

  useEffect(() => setSelected(0), [key]);
  useEffect(() => {
    tableRef.current?.querySelector<HTMLElement>(`tr[data-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  useShortcuts({
    j: () => setSelected((i) => Math.min(i + 1, rows.length - 1)),
    k: () => setSelected((i) => Math.max(i - 1, 0)),
    Enter: () => current && navigate(`/staff/cases/${encodeURIComponent(current.public_id)}`),
    a: () => current && setDialog('assign'),
    s: () => current && setDialog('status'),
    '?': () => setDialog('help'),
  });

  const setFilter = (name: string, value: string) => navigate(toUrl(name === 'state' ? withState(filters, value) : { ...filters, [name]: value }), true);
  const done = () => {
    setDialog(null);
    list.reload();
  };
  const counts = list.data?.counts;

  return html`
    <div class="queue-head">
      <h1>${t('queue.title')}</h1>
      <p class="counts" aria-live="polite" data-testid="queue-counts">
        <strong>${t('queue.total', { n: list.data?.total ?? rows.length })}</strong>
        ${counts ? (['breached', 'at_risk'] as const).map((k) =>
          html` · <button type="button" class="link" onClick=${() => setFilter('sla', k)}>${t(`count.${k}`, { n: counts[k] })}</button>`) : null}
      </p>
      <button type="button" class="link" onClick=${() => setDialog('help')} aria-keyshortcuts="?">${t('shortcuts.show')}</button>
    </div>
    <${Filters} filters=${filters} catalogue=${catalogue.data} municipalities=${municipalities} onChange=${setFilter} />
    <${SavedViews} views=${views.data ?? []} filters=${query} onApply=${(f: SavedView['filters']) => navigate(toUrl(fromView(f)))} onChanged=${views.reload} />
    <${ErrorBox} error=${list.error} />
    <div class="queue-body">
      <div class="queue-list">
        <table ref=${tableRef} class="cases" aria-describedby="queue-hint">
          <caption class="sr-only">${t('queue.caption')}</caption>
          <thead><tr>
            <th scope="col">${t('col.case')}</th><th scope="col">${t('col.service')}</th><th scope="col">${t('col.place')}</th>
            <th scope="col">${t('col.status')}</th><th scope="col">${t('col.priority')}</th><th scope="col">${t('col.sla')}</th>
            <th scope="col">${t('col.assignee')}</th><th scope="col">${t('col.received')}</th>
          </tr></thead>
          <tbody>
            ${rows.map((c, i) => html`<tr data-index=${i} class=${i === selected ? 'selected' : ''} aria-selected=${i === selected ? 'true' : 'false'}
              onClick=${() => setSelected(i)}>
              <td><a href=${`/staff/cases/${encodeURIComponent(c.public_id)}`} onClick=${linkClick}>${c.public_id}</a>
                ${i === selected ? html`<span class="sr-only"> (${t('queue.selected')})</span>` : null}</td>
              <td>${serviceName(c, catalogue.data)}</td>
              <td>${c.address ?? ''}<div class="small">${c.municipality_name ?? c.municipality_code}</div></td>
              <td><${StatusBadge} status=${c.status} /></td>
              <td><${PriorityBadge} priority=${c.priority} /></td>
              <td><${SlaBadge} c=${c} /></td>
              <td>${c.assignee_name ?? (c.contractor_name ? html`<span>${c.contractor_name}</span>` : html`<span class="muted">${t('filter.unassigned')}</span>`)}</td>
              <td class="small">${formatTime(c.requested_at)}</td>
            </tr>`)}
          </tbody>
        </table>
        ${!list.loading && rows.length === 0 ? html`<p class="empty">${t('queue.empty')}</p>` : null}
        ${cursor ? html`<p class="more"><span>${t('queue.showing', { n: rows.length, total: list.data?.total ?? rows.length })}</span>
          <button type="button" onClick=${loadMore}>${t('queue.more')}</button></p>` : null}
        ${list.loading ? html`<p role="status" class="muted">${t('common.loading')}</p>` : null}
        <p id="queue-hint" class="hint">${t('queue.hint')}</p>
      </div>
      <${CasesMap} query=${query} cases=${rows} selectedId=${current?.id} onSelect=${(id: number) => setSelected(rows.findIndex((c) => c.id === id))} />
    </div>
    ${dialog === 'help' ? html`<${ShortcutHelp} onClose=${() => closeDialog('help')} />` : null}
    ${dialog && dialog !== 'help' && current ? html`<${Modal} key=${dialog} title=${`${current.public_id} – ${serviceName(current, catalogue.data)}`} onClose=${() => closeDialog(dialog)}>
      ${dialog === 'assign'
        ? html`<${AssignForm} kase=${current} people=${people.data} onDone=${done} onReload=${done} />`
        : html`<${StatusForm} kase=${current} next=${table.data?.[current.status] ?? []} onDone=${done} onReload=${done} />`}
    <//>` : null}`;
}
