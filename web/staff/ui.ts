// Small building blocks shared by the staff pages: formatting, badges that never rely on colour alone,
// error boxes that name the field, and a data-loading hook.
import { html } from 'htm/preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { locale, t } from '../shared/i18n.js';
import { ApiError } from '../shared/api.js';
import type { CaseSummary, Service } from './api.js';

/** Date and time in the reader's language, Swedish time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(locale() === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone: 'Europe/Stockholm', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

/** The message of an error in the reader's language. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return locale() === 'sv' ? e.messageSv : e.message;
  return e instanceof Error ? e.message : String(e);
}

/** A state's label. */
export const statusLabel = (s: string) => t(`status.${s}`);

/** Service name in the reader's language, from the case or the catalogue. */
export function serviceName(c: { service_code: string; service_name_sv?: string; service_name_en?: string; name_sv?: string; name_en?: string }, catalogue?: Service[]): string {
  const fromCase = locale() === 'en' ? (c.service_name_en ?? c.name_en) : (c.service_name_sv ?? c.name_sv);
  if (fromCase) return fromCase;
  const s = catalogue?.find((x) => x.service_code === c.service_code);
  return s ? (locale() === 'en' ? s.name_en : s.name_sv) : c.service_code;
}

/** SLA state computed from the due time when the server does not say. */
export function slaState(c: Pick<CaseSummary, 'sla_due_at' | 'sla_state' | 'status'>, now = Date.now()): string {
  if (c.sla_state) return c.sla_state;
  if (!c.sla_due_at) return 'none';
  const due = new Date(c.sla_due_at).getTime();
  if (due < now) return 'breached';
  if (due - now < 24 * 3600_000) return 'at_risk';
  return 'ok';
}

const SLA_ICON: Record<string, string> = { breached: '✕', at_risk: '⚠', ok: '✓', met: '✓', none: '' };

/** SLA badge: icon + words + colour, so it reads without colour. */
export function SlaBadge({ c }: { c: Pick<CaseSummary, 'sla_due_at' | 'sla_state' | 'status'> }) {
  const s = slaState(c);
  if (s === 'none') return html`<span class="muted">${t('sla.none')}</span>`;
  return html`<span class="badge sla-${s}"><span aria-hidden="true">${SLA_ICON[s] ?? ''} </span>${t(`sla.${s}`)}</span>
    <span class="small"> ${formatTime(c.sla_due_at)}</span>`;
}

/** State badge with its label. */
export function StatusBadge({ status }: { status: string }) {
  return html`<span class=${`badge status-${status}`}>${statusLabel(status)}</span>`;
}

/** Priority as "P1".."P3" with words for screen readers. */
export function PriorityBadge({ priority }: { priority: number }) {
  return html`<span class=${`badge prio-${priority}`} title=${t(`priority.${priority}`)}>P${priority}<span class="sr-only"> ${t(`priority.${priority}`)}</span></span>`;
}

/** An error box announced to screen readers; with a reload button for optimistic-lock conflicts. */
export function ErrorBox({ error, onReload }: { error: unknown; onReload?: () => void }) {
  if (!error) return null;
  const conflict = error instanceof ApiError && (error.status === 409 || error.code === 'conflict' || error.code === 'stale_version');
  return html`<div class="error" role="alert">
    <p>${conflict ? t('conflict.text', { who: String((error as ApiError).details?.changed_by ?? t('conflict.someone')) }) : errorText(error)}</p>
    ${conflict && onReload ? html`<button type="button" onClick=${onReload}>${t('conflict.reload')}</button>` : null}
  </div>`;
}

/** Loads data when `deps` change; `reload()` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** Sets document.title for the page (WCAG 2.4.2). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Ingång`;
  }, [title]);
}

/** A modal dialog (native <dialog>: focus is trapped and Escape closes it). */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current!;
    d.showModal();
    d.querySelector<HTMLElement>('select, input, textarea, button')?.focus();
    return () => d.close();
  }, []);
  return html`<dialog ref=${ref} class="quick" aria-labelledby="quick-title" onClose=${onClose}>
    <div class="dialog-head"><h2 id="quick-title">${title}</h2>
      <button type="button" class="link" onClick=${onClose}>${t('common.close')}</button></div>
    ${children}
  </dialog>`;
}
