// The case timeline. Internal and public entries differ by a written label, an icon, a border style and
// the colour, so the difference never rests on colour alone.
import { html } from 'htm/preact';
import { t } from '../../shared/i18n.js';
import type { CaseEvent } from '../api.js';
import { formatTime, statusLabel } from '../ui.js';

function describe(e: CaseEvent): string {
  const key = `event.${e.kind}`;
  const text = t(key);
  const base = text === key ? e.kind.replace(/_/g, ' ') : text;
  if (e.status_after) return `${base}: ${statusLabel(e.status_after)}`;
  const d = e.data ?? {};
  if (e.kind === 'contractor_assigned' && d.contractor_name) return `${base}: ${String(d.contractor_name)}`;
  const prio = (v: unknown) => (v && typeof v === 'object' ? (v as { priority?: number }).priority : v);
  if (e.kind === 'priority_changed' && prio(d.after) !== undefined) return `${base}: P${String(prio(d.before))} → P${String(prio(d.after))}`;
  return base;
}

// Inline icons: the system may lack an emoji font, and these inherit the label's colour.
const LOCK = html`<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><rect x="2" y="5" width="8" height="6" rx="1" fill="currentColor" /><path d="M4 5V3.5a2 2 0 0 1 4 0V5" stroke="currentColor" stroke-width="1.4" fill="none" /></svg>`;
const GLOBE = html`<svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12" fill="none" stroke="currentColor" stroke-width="1.2"><circle cx="6" cy="6" r="5" /><ellipse cx="6" cy="6" rx="2.2" ry="5" /><path d="M1 6h10" /></svg>`;

/** The case's history, newest first. */
export function Timeline({ events, caseId }: { events: (CaseEvent & { case_public_id?: string })[]; caseId: string }) {
  const sorted = [...events].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id - a.id));
  return html`<ol class="timeline">
    ${sorted.map((e) => {
      const isPublic = e.visibility === 'public';
      return html`<li class=${`entry ${isPublic ? 'public' : 'internal'}`} data-visibility=${isPublic ? 'public' : 'internal'}>
        <p class="entry-head">
          <span class="visibility">${isPublic ? GLOBE : LOCK}${t(isPublic ? 'timeline.public' : 'timeline.internal')}</span>
          <strong>${describe(e)}</strong>
        </p>
        ${e.body ? html`<p class="entry-body">${e.body}</p>` : null}
        <p class="small">${formatTime(e.created_at)}${e.actor_label ? ` · ${e.actor_label}` : ''}${e.case_public_id && e.case_public_id !== caseId ? ` · ${t('timeline.from', { id: e.case_public_id })}` : ''}</p>
      </li>`;
    })}
  </ol>`;
}
