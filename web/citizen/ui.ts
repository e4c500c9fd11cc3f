// Building blocks of the citizen pages: words in the reader's language, dates, field errors tied to their
// fields (aria-describedby + aria-invalid) and an error summary announced to screen readers.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { locale, t } from '../shared/i18n.js';
import { ApiError } from '../shared/api.js';
import type { Words } from './api.js';

/** The Swedish or English of a {sv, en} pair. */
export const w = (words: Words | null | undefined): string => (words ? (locale() === 'en' ? words.en : words.sv) : '');

/** A date (and time) in the reader's language, Swedish time. */
export function formatDate(iso: string | null | undefined, withTime = true): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString(locale() === 'en' ? 'en-GB' : 'sv-SE', {
    timeZone: 'Europe/Stockholm', year: 'numeric', month: 'long', day: 'numeric', ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  });
}

/** Field errors by field name, as shown next to each field. */
export type FieldErrors = Record<string, string>;

/** The reader's message of an API error without the leading "field:" the server adds. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const text = locale() === 'sv' ? e.messageSv : e.message;
    return e.field && text.startsWith(`${e.field}: `) ? text.slice(e.field.length + 2) : text;
  }
  return t('error.network');
}

/** Moves focus to an element once it exists (headings after navigation, the error summary after a failed send). */
export function focusSoon(selector: string): void {
  requestAnimationFrame(() => (document.querySelector(selector) as HTMLElement | null)?.focus());
}

/** A labelled form field with hint and error, wired for screen readers. `children` gets the described-by ids. */
export function Field(props: { id: string; label: string; hint?: string; error?: string; optional?: boolean; children: (describedBy: string | undefined) => ComponentChildren }) {
  const ids = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return html`<div class=${`field${props.error ? ' has-error' : ''}`}>
    <label for=${props.id}>${props.label}${props.optional ? html` <span class="optional">${t('form.optional')}</span>` : ''}</label>
    ${props.hint ? html`<p class="hint" id=${`${props.id}-hint`}>${props.hint}</p>` : ''}
    ${props.error ? html`<p class="error" id=${`${props.id}-error`}><span class="sr-only">${t('form.error')}: </span>${props.error}</p>` : ''}
    ${props.children(ids)}
  </div>`;
}

/** The list of errors above a form: announced at once, each a link to its field. */
export function ErrorSummary(props: { errors: FieldErrors; labels: Record<string, string>; fieldIds: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary">
    <h2>${t('form.errors_title')}</h2>
    <ul>${entries.map(([field, message]) => html`<li><a href=${`#${props.fieldIds[field] ?? field}`}>${props.labels[field] ? `${props.labels[field]}: ` : ''}${message}</a></li>`)}</ul>
  </div>`;
}

/** Loads data for a page; re-runs when `key` changes. */
export function useLoad<T>(load: () => Promise<T>, key: string): { data: T | null; error: unknown; reload: () => void } {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  const [n, setN] = useState(0);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    setState({ data: null, error: null });
    load().then((data) => live.current && setState({ data, error: null }), (error) => live.current && setState({ data: null, error }));
    return () => {
      live.current = false;
    };
  }, [key, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

/** What a page shows while loading or when loading failed. */
export function LoadState(props: { error: unknown }) {
  if (props.error) {
    const notFound = props.error instanceof ApiError && props.error.status === 404;
    return html`<div class="notice notice-error" role="alert"><p>${notFound ? t('error.not_found') : errorText(props.error)}</p><p><a href="/">${t('nav.home')}</a></p></div>`;
  }
  return html`<p class="loading" role="status">${t('loading')}</p>`;
}

/** A state in plain words, never by colour alone. */
export function StatusBadge(props: { status: string; open: boolean; label: Words }) {
  return html`<span class=${`badge ${props.open ? 'badge-open' : 'badge-closed'}`}>${w(props.label)}</span>`;
}
