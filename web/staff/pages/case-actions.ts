// The action forms of a case (assign, state, priority, category, location, merge, forward, note, public
// update, photo). Each sends the case's version; the server refuses a stale one with "changed by X, reload".
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { locale, t } from '../../shared/i18n.js';
import { caseAction, organisations, uploadPhoto, type Assignees, type CaseSummary, type Service } from '../api.js';
import { ErrorBox, serviceName, statusLabel, useLoad } from '../ui.js';

interface ActionProps {
  kase: Pick<CaseSummary, 'id' | 'version' | 'status' | 'priority' | 'service_code' | 'assignee_user_id' | 'contractor_organisation_id' | 'lat' | 'lon' | 'address'>;
  onDone: () => void;
  onReload: () => void;
}

/** A form that posts one action and shows errors (conflicts with a reload button). */
function ActionForm({ id, title, submit, children, onDone, onReload, label }: {
  id: string; title: string; label?: string; submit: (form: FormData) => Promise<unknown>; children: ComponentChildren; onDone: () => void; onReload: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: Event) {
    e.preventDefault();
    const formEl = e.target as HTMLFormElement;
    setBusy(true);
    setError(null);
    try {
      await submit(new FormData(formEl));
      formEl.reset();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`<form class="action" id=${`action-${id}`} onSubmit=${onSubmit} aria-labelledby=${`action-${id}-title`}>
    <h3 id=${`action-${id}-title`}>${title}</h3>
    <${ErrorBox} error=${error} onReload=${() => { setError(null); onReload(); }} />
    ${children}
    <button type="submit" disabled=${busy}>${label ?? t('action.save')}</button>
  </form>`;
}

const str = (f: FormData, k: string) => String(f.get(k) ?? '').trim();
const numOrNull = (v: string) => (v === '' ? null : Number(v));

/**
 * A person and a contractor are two separate changes on the server; only what changed is sent, the
 * second with the version the first returned.
 */
async function assignBoth(kase: ActionProps['kase'], person: number | null, contractor: number | null, instructions: string | null): Promise<void> {
  let version = kase.version;
  if (person !== kase.assignee_user_id) {
    const updated = await caseAction(kase.id, 'assign', { expected_version: version, assignee_user_id: person });
    version = updated.version ?? version + 1;
  }
  if (contractor !== kase.contractor_organisation_id) {
    await caseAction(kase.id, 'contractor', { expected_version: version, contractor_organisation_id: contractor, instructions });
  }
}

/** Assign to a person in the organisation and/or a contractor. */
export function AssignForm({ kase, onDone, onReload, people }: ActionProps & { people: Assignees | undefined }) {
  const name = (c: Assignees['contractors'][number]) => (locale() === 'en' ? c.name_en : c.name_sv);
  return html`<${ActionForm} id="assign" title=${t('action.assign')} onDone=${onDone} onReload=${onReload}
    submit=${(f: FormData) => assignBoth(kase, numOrNull(str(f, 'assignee')), numOrNull(str(f, 'contractor')), str(f, 'instructions') || null)}>
    <div class="field"><label for="assign-person">${t('action.assignee')}</label>
      <select id="assign-person" name="assignee" value=${kase.assignee_user_id ?? ''}>
        <option value="">${t('action.nobody')}</option>
        ${people?.users.map((u) => html`<option value=${u.id}>${u.display_name}</option>`)}
      </select></div>
    <div class="field"><label for="assign-contractor">${t('action.contractor')}</label>
      <select id="assign-contractor" name="contractor" value=${kase.contractor_organisation_id ?? ''}>
        <option value="">${t('action.noContractor')}</option>
        ${people?.contractors.map((c) => html`<option value=${c.id}>${name(c)}</option>`)}
      </select></div>
    <div class="field"><label for="assign-instructions">${t('action.instructions')}</label>
      <textarea id="assign-instructions" name="instructions" rows="2"></textarea></div>
  <//>`;
}

/** Change state, with an optional public note to the reporter. */
export function StatusForm({ kase, onDone, onReload, next }: ActionProps & { next: string[] }) {
  return html`<${ActionForm} id="status" title=${t('action.status')} onDone=${onDone} onReload=${onReload}
    submit=${(f: FormData) => caseAction(kase.id, 'status', { expected_version: kase.version, status: str(f, 'status'), public_note: str(f, 'public_note') || undefined })}>
    <div class="field"><label for="status-to">${t('action.newStatus')}</label>
      <select id="status-to" name="status" required>
        ${next.map((s) => html`<option value=${s}>${statusLabel(s)}</option>`)}
      </select></div>
    <div class="field"><label for="status-note">${t('action.publicNote')}</label>
      <textarea id="status-note" name="public_note" rows="2" aria-describedby="status-note-hint"></textarea>
      <p class="hint" id="status-note-hint">${t('action.publicNoteHint')}</p></div>
  <//>`;
}

/** Change priority (and with it the SLA due time). */
export function PriorityForm({ kase, onDone, onReload }: ActionProps) {
  return html`<${ActionForm} id="priority" title=${t('action.priority')} onDone=${onDone} onReload=${onReload}
    submit=${(f: FormData) => caseAction(kase.id, 'priority', { expected_version: kase.version, priority: Number(str(f, 'priority')) })}>
    <div class="field"><label for="priority-to">${t('action.priority')}</label>
      <select id="priority-to" name="priority" value=${String(kase.priority)}>
        ${[1, 2, 3].map((p) => html`<option value=${p}>P${p} – ${t(`priority.${p}`)}</option>`)}
      </select></div>
  <//>`;
}

/** Change category; the server routes the case again. */
export function CategoryForm({ kase, onDone, onReload, catalogue }: ActionProps & { catalogue: Service[] | undefined }) {
  return html`<${ActionForm} id="category" title=${t('action.category')} onDone=${onDone} onReload=${onReload}
    submit=${(f: FormData) => caseAction(kase.id, 'reroute', { expected_version: kase.version, service_code: str(f, 'service_code') })}>
    <div class="field"><label for="category-to">${t('action.service')}</label>
      <select id="category-to" name="service_code" value=${kase.service_code}>
        ${catalogue?.map((s) => html`<option value=${s.service_code}>${serviceName(s)}</option>`)}
      </select>
      <p class="hint">${t('action.categoryHint')}</p></div>
  <//>`;
}

/** Move the case (address and/or coordinates); re-routes like a category change. */
export function LocationForm({ kase, onDone, onReload }: ActionProps) {
  return html`<${ActionForm} id="location" title=${t('action.location')} onDone=${onDone} onReload=${onReload}
    submit=${(f: FormData) => caseAction(kase.id, 'reroute', { expected_version: kase.version, location: { address: str(f, 'address') || null, lat: numOrNull(str(f, 'lat')), lon: numOrNull(str(f, 'lon')) } })}>
    <div class="field"><label for="loc-address">${t('register.address')}</label>
      <input id="loc-address" name="address" value=${kase.address ?? ''} /></div>
    <div class="row">
      <div class="field"><label for="loc-lat">${t('register.lat')}</label><input id="loc-lat" name="lat" inputmode="decimal" value=${kase.lat ?? ''} /></div>
      <div class="field"><label for="loc-lon">${t('register.lon')}</label><input id="loc-lon" name="lon" inputmode="decimal" value=${kase.lon ?? ''} /></div>
    </div>
  <//>`;
}

/** Merge this case into another (it becomes a duplicate; followers move); nearby suggestions are one click. */
export function MergeForm({ kase, onDone, onReload, candidates }: ActionProps & { candidates: { id: number; public_id: string; distance_m: number; description: string }[] }) {
  return html`<${ActionForm} id="merge" title=${t('action.merge')} onDone=${onDone} onReload=${onReload} label=${t('action.mergeSubmit')}
    submit=${(f: FormData) => caseAction(kase.id, 'merge', { expected_version: kase.version, into: str(f, 'into') })}>
    <div class="field"><label for="merge-into">${t('action.mergeInto')}</label>
      <input id="merge-into" name="into" required list="merge-candidates" aria-describedby="merge-hint" /></div>
    <datalist id="merge-candidates">${candidates.map((c) => html`<option value=${c.public_id}>${c.public_id} (${c.distance_m} m) ${c.description.slice(0, 60)}</option>`)}</datalist>
    <p class="hint" id="merge-hint">${t('action.mergeHint')}</p>
  <//>`;
}

/** Forward to another body ("not ours"), with the reason the reporter sees. */
export function ForwardForm({ kase, onDone, onReload, ownOrganisationId }: ActionProps & { ownOrganisationId: number }) {
  const orgs = useLoad(organisations, []);
  return html`<${ActionForm} id="forward" title=${t('action.forward')} onDone=${onDone} onReload=${onReload}
    submit=${(f: FormData) => caseAction(kase.id, 'forward', { expected_version: kase.version, organisation_id: Number(str(f, 'to')), reason: str(f, 'reason') })}>
    <div class="field"><label for="forward-to">${t('action.forwardTo')}</label>
      <select id="forward-to" name="to" required>
        <option value="">${t('action.chooseOrganisation')}</option>
        ${orgs.data?.filter((o) => o.id !== ownOrganisationId).map((o) => html`<option value=${o.id}>${locale() === 'en' ? o.name_en : o.name_sv}</option>`)}
      </select></div>
    <div class="field"><label for="forward-reason">${t('action.reason')}</label>
      <textarea id="forward-reason" name="reason" rows="2" required></textarea></div>
  <//>`;
}

/** Internal note (never public) or public update (reaches reporter and followers). */
export function NoteForm({ kase, onDone, onReload, visibility }: ActionProps & { visibility: 'internal' | 'public' }) {
  const id = visibility === 'internal' ? 'note' : 'update';
  return html`<${ActionForm} id=${id} title=${t(visibility === 'internal' ? 'action.note' : 'action.publicUpdate')} onDone=${onDone} onReload=${onReload}
    submit=${(f: FormData) => caseAction(kase.id, 'notes', { expected_version: kase.version, visibility, body: str(f, 'body') })}>
    <div class="field"><label for=${`${id}-body`}>${t('action.text')}</label>
      <textarea id=${`${id}-body`} name="body" rows="3" required aria-describedby=${`${id}-hint`}></textarea>
      <p class="hint" id=${`${id}-hint`}>${t(visibility === 'internal' ? 'action.noteHint' : 'action.publicUpdateHint')}</p></div>
  <//>`;
}

/** Add a photo to the case. */
export function PhotoForm({ kase, onDone, onReload }: ActionProps) {
  return html`<${ActionForm} id="photo" title=${t('action.photo')} onDone=${onDone} onReload=${onReload} label=${t('action.upload')}
    submit=${(f: FormData) => uploadPhoto(kase.id, kase.version, f.get('photo') as File, f.get('public') === 'on' ? 'public' : 'internal')}>
    <div class="field"><label for="photo-file">${t('action.photoFile')}</label>
      <input id="photo-file" name="photo" type="file" accept="image/jpeg,image/png,image/webp" required /></div>
    <label class="check"><input type="checkbox" name="public" /> ${t('action.photoPublic')}</label>
  <//>`;
}
