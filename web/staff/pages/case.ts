// The case page: what, where, who is responsible and why (routing explanation), photos, the reporter's
// contact (only when the server includes it for this role), the timeline and every action.
import { html } from 'htm/preact';
import { t, locale } from '../../shared/i18n.js';
import { assignees, getCase, services, type CaseDetail } from '../api.js';
import { can, useSession } from '../session.js';
import { linkClick } from '../router.js';
import { ErrorBox, formatTime, PriorityBadge, serviceName, SlaBadge, StatusBadge, useLoad, usePageTitle } from '../ui.js';
import { Timeline } from './timeline.js';
import { AssignForm, CategoryForm, ForwardForm, LocationForm, MergeForm, NoteForm, PhotoForm, PriorityForm, StatusForm } from './case-actions.js';

function Facts({ c, catalogue }: { c: CaseDetail; catalogue: Parameters<typeof serviceName>[1] }) {
  const explanation = locale() === 'en' ? c.routing?.explanation_en : c.routing?.explanation_sv;
  return html`<dl class="facts">
    <div><dt>${t('col.service')}</dt><dd>${serviceName(c, catalogue)}</dd></div>
    <div><dt>${t('col.status')}</dt><dd><${StatusBadge} status=${c.status} /></dd></div>
    <div><dt>${t('col.priority')}</dt><dd><${PriorityBadge} priority=${c.priority} /></dd></div>
    <div><dt>${t('col.sla')}</dt><dd><${SlaBadge} c=${c} /></dd></div>
    <div><dt>${t('col.place')}</dt><dd>${c.address ?? '–'}, ${c.municipality_name ?? c.municipality_code}
      ${c.lat !== null ? html`<span class="small"> (${c.lat.toFixed(5)}, ${c.lon?.toFixed(5)})</span>` : null}</dd></div>
    ${c.asset ? html`<div><dt>${t('case.asset')}</dt><dd data-testid="asset"><strong>${c.asset.code}</strong> (${locale() === 'en' ? c.asset.name_en : c.asset.name_sv})</dd></div>` : null}
    <div><dt>${t('case.channel')}</dt><dd>${t(`channel.${c.channel}`)}</dd></div>
    <div><dt>${t('col.received')}</dt><dd>${formatTime(c.requested_at)}</dd></div>
    <div><dt>${t('col.assignee')}</dt><dd>${c.assignee_name ?? t('filter.unassigned')}${c.contractor_name ? ` · ${t('action.contractor')}: ${c.contractor_name}` : ''}</dd></div>
    <div class="wide"><dt>${t('case.routing')}</dt><dd data-testid="routing">${explanation ?? '–'}</dd></div>
  </dl>`;
}

/** One case. */
export function CasePage({ id }: { id: string }) {
  usePageTitle(id);
  const me = useSession()!;
  const kase = useLoad(() => getCase(id), [id]);
  const catalogue = useLoad(services, []);
  const people = useLoad(() => (can.handle(me) ? assignees() : Promise.resolve(undefined)), [me.organisation_id]);
  const c = kase.data;
  if (kase.error) return html`<h1>${id}</h1><${ErrorBox} error=${kase.error} />`;
  if (!c) return html`<h1>${id}</h1><p role="status">${t('common.loading')}</p>`;
  const props = { kase: c, onDone: kase.reload, onReload: kase.reload };
  const handler = can.handle(me);
  return html`
    <p class="crumbs"><a href="/staff/cases" onClick=${linkClick}>${t('nav.queue')}</a></p>
    <h1>${c.public_id} <span class="subtitle">${serviceName(c, catalogue.data)}</span></h1>
    <div class="case-layout">
      <div class="case-main">
        <section aria-labelledby="desc-title" class="card">
          <h2 id="desc-title">${t('case.description')}</h2>
          <p class="description">${c.description}</p>
          <${Facts} c=${c} catalogue=${catalogue.data} />
        </section>
        ${c.attachments?.length ? html`<section aria-labelledby="photos-title" class="card">
          <h2 id="photos-title">${t('case.photos')}</h2>
          <ul class="photos">${c.attachments.map((a, i) => html`<li><figure><a href=${a.url} target="_blank" rel="noopener">
            <img src=${a.url} alt=${t('case.photoAlt', { n: i + 1, id: c.public_id })} loading="lazy" /></a>
            <figcaption class="small">${t(a.visibility === 'public' ? 'timeline.public' : 'timeline.internal')}</figcaption></figure></li>`)}</ul>
        </section>` : null}
        ${c.reporter ? html`<section aria-labelledby="reporter-title" class="card" data-testid="reporter">
          <h2 id="reporter-title">${t('case.reporter')}</h2>
          <p class="hint">${t('case.reporterHint')}</p>
          <dl class="facts">
            <div><dt>${t('register.name')}</dt><dd>${c.reporter.name ?? '–'}</dd></div>
            <div><dt>${t('register.email')}</dt><dd>${c.reporter.email ? html`<a href=${`mailto:${c.reporter.email}`}>${c.reporter.email}</a>` : '–'}</dd></div>
            <div><dt>${t('register.phone')}</dt><dd>${c.reporter.phone ? html`<a href=${`tel:${c.reporter.phone}`}>${c.reporter.phone}</a>` : '–'}</dd></div>
          </dl>
        </section>` : null}
        ${c.duplicate_candidates.length && handler ? html`<section aria-labelledby="dups-title" class="card nearby" data-testid="duplicates">
          <h2 id="dups-title">${t('case.duplicates')}</h2>
          <ul class="plain">${c.duplicate_candidates.map((d) => html`<li>
            <a href=${`/staff/cases/${encodeURIComponent(d.public_id)}`} onClick=${linkClick}>${d.public_id}</a> <${StatusBadge} status=${d.status} />
            <span class="small"> ${t('register.metres', { n: d.distance_m })}</span> <div>${d.description}</div></li>`)}</ul>
          <p class="hint">${t('case.duplicatesHint')}</p>
        </section>` : null}
        ${c.duplicate_of ? html`<p class="card">${t('case.duplicateOf')} <a href=${`/staff/cases/${encodeURIComponent(c.duplicate_of.public_id)}`} onClick=${linkClick}>${c.duplicate_of.public_id}</a></p>` : null}
        <section aria-labelledby="timeline-title" class="card">
          <h2 id="timeline-title">${t('case.timeline')}</h2>
          <${Timeline} events=${c.events} caseId=${c.public_id} />
        </section>
      </div>
      <aside class="case-actions" aria-labelledby="actions-title">
        <h2 id="actions-title">${t('case.actions')}</h2>
        ${handler ? html`
          <${StatusForm} ...${props} next=${c.allowed_transitions} />
          <${AssignForm} ...${props} people=${people.data} />
          <${PriorityForm} ...${props} />` : null}
        <${NoteForm} ...${props} visibility="internal" />
        ${handler ? html`
          <${NoteForm} ...${props} visibility="public" />
          <${PhotoForm} ...${props} />
          <details><summary>${t('case.moreActions')}</summary>
            <${CategoryForm} ...${props} catalogue=${catalogue.data} />
            <${LocationForm} ...${props} />
            <${MergeForm} ...${props} candidates=${c.duplicate_candidates} />
            <${ForwardForm} ...${props} ownOrganisationId=${c.organisation_id} />
          </details>` : null}
      </aside>
    </div>`;
}
