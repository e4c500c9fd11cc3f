// Who is signed in, shared by every page; pages re-render when it changes (log-in, switching organisation).
import { useNotified } from './subscribe.js';
import type { Me, Role } from './api.js';
import { locale } from '../shared/i18n.js';

let current: Me | null = null;
const listeners = new Set<() => void>();

/** Replaces the session (after log-in, log-out or switching organisation). */
export function setSession(me: Me | null): void {
  current = me;
  for (const l of listeners) l();
}

/** The session now, re-rendering the caller when it changes. */
export function useSession(): Me | null {
  useNotified(listeners);
  return current;
}

/** Name of the organisation the person acts for now, in the active language. */
export function activeOrganisationName(me: Me): string {
  const m = me.memberships.find((x) => x.organisation_id === me.organisation_id);
  if (!m) return '';
  return locale() === 'en' ? m.organisation_name_en : m.organisation_name_sv;
}

export const HANDLER_ROLES: Role[] = ['handler', 'supervisor', 'admin'];

/** What each role may do in the app; the server checks the same again. */
export const can = {
  handle: (me: Me) => HANDLER_ROLES.includes(me.role),
  register: (me: Me) => me.role !== 'contractor',
  queue: (me: Me) => me.role !== 'contractor',
  agreements: (me: Me) => me.role === 'admin' || me.role === 'supervisor',
  workOrders: (me: Me) => me.role === 'contractor',
};

/** The page a role lands on after log-in. */
export function homeFor(me: Me): string {
  if (me.role === 'contractor') return '/staff/work-orders';
  if (me.role === 'agent') return '/staff/register';
  return '/staff/cases';
}
