// A tiny history router for the staff app: every page has a real URL under /staff, so links can be
// opened in a new tab, shared, and the back button works.
import { useNotified } from './subscribe.js';

const listeners = new Set<() => void>();

/** Goes to an app path (e.g. "/staff/cases/KAKAV-2026-00001") without a page load. */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => {
  for (const l of listeners) l();
});

/** The current location (path + query), re-rendering on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  useNotified(listeners);
  return { path: location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) };
}

/** Click handler for in-app links: plain clicks navigate in place; modified clicks open normally. */
export function linkClick(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement) ?? null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href')!);
}
