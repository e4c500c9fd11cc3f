/**
 * Message catalogues: every user-facing text has a key; each language is one flat object. Swedish is the
 * default; English is complete; adding Finnish or Arabic is one more catalogue (and `dir` for Arabic).
 */
export type Locale = 'sv' | 'en';
export type Catalogue = Record<string, string>;

const catalogues: Partial<Record<Locale, Catalogue>> = {};
let current: Locale = 'sv';
const listeners = new Set<() => void>();

/** Adds messages for a locale (apps register theirs at start). */
export function addMessages(locale: Locale, messages: Catalogue): void {
  catalogues[locale] = { ...catalogues[locale], ...messages };
}

/** The translated text for a key, with {name} placeholders filled; falls back to Swedish, then the key. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = catalogues[current]?.[key] ?? catalogues.sv?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The active locale. */
export function locale(): Locale {
  return current;
}

/** Switches language, remembers it, sets <html lang> and re-renders listeners. */
export function setLocale(next: Locale): void {
  current = next;
  try {
    localStorage.setItem('ingang.locale', next);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

/** Picks the saved locale, else the browser's, else Swedish. */
export function initLocale(): Locale {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem('ingang.locale');
  } catch {
    saved = null;
  }
  const fromUrl = new URLSearchParams(location.search).get('lang');
  const pick = (fromUrl ?? saved ?? '') as Locale;
  current = pick === 'en' || pick === 'sv' ? pick : 'sv';
  document.documentElement.lang = current;
  return current;
}

/** Calls `fn` whenever the language changes; returns an unsubscribe function. */
export function onLocaleChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
