// Contractor portal, built for a phone: the contractor's own work orders only, each with what to do and
// where, and "report done" with a note and a photo. The handler verifies and closes.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { t } from '../../shared/i18n.js';
import { reportDone, services, workOrders, type CaseSummary } from '../api.js';
import { ErrorBox, formatTime, PriorityBadge, serviceName, StatusBadge, useLoad, usePageTitle } from '../ui.js';

function DoneForm({ c, onDone }: { c: CaseSummary; onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const photo = f.get('photo') as File | null;
    setBusy(true);
    setError(null);
    try {
      await reportDone(c.id, c.version, String(f.get('note') ?? ''), photo && photo.size > 0 ? photo : null);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const id = `wo-${c.id}`;
  return html`<form onSubmit=${submit} class="done-form">
    <${ErrorBox} error=${error} onReload=${onDone} />
    <div class="field"><label for=${`${id}-note`}>${t('wo.note')}</label>
      <textarea id=${`${id}-note`} name="note" rows="3" required></textarea></div>
    <div class="field"><label for=${`${id}-photo`}>${t('wo.photo')}</label>
      <input id=${`${id}-photo`} name="photo" type="file" accept="image/*" capture="environment" /></div>
    <button type="submit" class="primary" disabled=${busy}>${t('wo.done')}</button>
  </form>`;
}

/** The contractor's list of work orders. */
export function WorkOrdersPage() {
  usePageTitle(t('wo.title'));
  const list = useLoad(() => workOrders(false), []);
  const done = useLoad(() => workOrders(true), []);
  const catalogue = useLoad(services, []);
  const [message, setMessage] = useState('');
  const open = list.data?.cases ?? [];
  const finished = done.data?.cases ?? [];
  return html`<h1>${t('wo.title')}</h1>
    <${ErrorBox} error=${list.error} />
    <p role="status" class=${message ? 'success' : 'sr-only'}>${message}</p>
    ${!list.loading && open.length === 0 ? html`<p class="empty">${t('wo.none')}</p>` : null}
    <ul class="work-orders">
      ${open.map((c) => html`<li class="card" data-testid="work-order">
        <h2>${serviceName(c, catalogue.data)} <span class="small">${c.public_id}</span></h2>
        <p><${StatusBadge} status=${c.status} /> <${PriorityBadge} priority=${c.priority} /></p>
        <p><strong>${c.address ?? ''}</strong> ${c.municipality_name ?? ''}
          ${c.lat !== null ? html` · <a href=${`geo:${c.lat},${c.lon}`}>${t('wo.openMap')}</a>` : null}</p>
        ${c.asset_code ? html`<p data-testid="wo-asset">${t('case.asset')}: <strong>${c.asset_code}</strong></p>` : null}
        <p>${c.description}</p>
        <p class="small">${t('col.received')}: ${formatTime(c.requested_at)}</p>
        <${DoneForm} c=${c} onDone=${() => { setMessage(t('wo.reported', { id: c.public_id })); list.reload(); done.reload(); }} />
      </li>`)}
    </ul>
    ${finished.length ? html`<h2>${t('wo.finished')}</h2><ul class="plain">${finished.map((c) => html`<li>${c.public_id} – ${serviceName(c, catalogue.data)} <${StatusBadge} status=${c.status} /></li>`)}</ul>` : null}`;
}
