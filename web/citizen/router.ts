// A tiny path router for the citizen pages: the server answers every page path with index.html.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { name: 'start'; key: string | null }
  | { name: 'list'; key: string }
  | { name: 'case'; number: string }
  | { name: 'follow'; token: string }
  | { name: 'unsubscribe'; token: string }
  | { name: 'notfound' };

/** The route of a path: /, /k/<kod|name>, /k/<kod|name>/arenden, /arende/<number>, /f/<token>, /avsluta/<token>. */
export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'start', key: null };
  if (parts[0] === 'k' && parts.length === 2) return { name: 'start', key: parts[1] };
  if (parts[0] === 'k' && parts.length === 3 && parts[2] === 'arenden') return { name: 'list', key: parts[1] };
  if (parts[0] === 'arende' && parts.length === 2) return { name: 'case', number: parts[1] };
  if (parts[0] === 'f' && parts.length === 2) return { name: 'follow', token: parts[1] };
  if (parts[0] === 'avsluta' && parts.length === 2) return { name: 'unsubscribe', token: parts[1] };
  return { name: 'notfound' };
}

const listeners = new Set<() => void>();

/** Goes to another page of the app without reloading. */
export function navigate(href: string): void {
  history.pushState(null, '', href);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

/** The current route; re-renders on navigation and on the back button. */
export function useRoute(): Route {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return parseRoute(path);
}

/** Handles clicks on same-site links inside the app (not the API, not the staff app, not new tabs). */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest('a');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || /^\/(api|staff|docs)(\/|$)/.test(url.pathname)) return;
    if (url.pathname === location.pathname && url.hash) return;
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
