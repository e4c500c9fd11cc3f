// The frame of every signed-in page: skip link, header with role-aware navigation, organisation switcher,
// language and log-out, and the main landmark the skip link targets.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { locale, setLocale, t } from '../shared/i18n.js';
import { fetchMe, logout, switchOrganisation, type Me } from './api.js';
import { activeOrganisationName, can, homeFor, setSession } from './session.js';
import { linkClick, navigate } from './router.js';

interface NavItem {
  href: string;
  label: string;
  show: (me: Me) => boolean;
}

const NAV: NavItem[] = [
  { href: '/staff/cases', label: 'nav.queue', show: can.queue },
  { href: '/staff/register', label: 'nav.register', show: can.register },
  { href: '/staff/work-orders', label: 'nav.workOrders', show: can.workOrders },
  // The agreements admin page (another module) lives at this path.
  { href: '/staff/agreements', label: 'nav.agreements', show: can.agreements },
];

async function onSwitch(e: Event) {
  const id = Number((e.target as HTMLSelectElement).value);
  await switchOrganisation(id);
  const me = await fetchMe();
  setSession(me);
  if (me) navigate(homeFor(me));
}

async function onLogout() {
  await logout().catch(() => undefined);
  setSession(null);
  navigate('/staff/login');
}

/** Header + main for signed-in pages. */
export function Layout({ me, path, children }: { me: Me; path: string; children: ComponentChildren }) {
  const orgName = (m: Me['memberships'][number]) => (locale() === 'en' ? m.organisation_name_en : m.organisation_name_sv);
  return html`
    <a class="skip" href="#main">${t('nav.skip')}</a>
    <header class="top">
      <a class="brand" href=${homeFor(me)} onClick=${linkClick}>Ingång <span class="small">${t('app.staff')}</span></a>
      <nav aria-label=${t('nav.label')}>
        <ul>
          ${NAV.filter((n) => n.show(me)).map((n) => html`<li><a href=${n.href} onClick=${linkClick}
            aria-current=${path.startsWith(n.href) ? 'page' : undefined}>${t(n.label)}</a></li>`)}
        </ul>
      </nav>
      <div class="who">
        ${me.memberships.length > 1
          ? html`<label class="org-switch"><span class="sr-only">${t('org.switch')}</span>
              <select onChange=${onSwitch} value=${String(me.organisation_id)} data-testid="org-switch">
                ${me.memberships.map((m) => html`<option value=${String(m.organisation_id)}>${orgName(m)} (${t(`role.${m.role}`)})</option>`)}
              </select></label>`
          : html`<span class="org">${activeOrganisationName(me)} · ${t(`role.${me.role}`)}</span>`}
        <span class="user">${me.user.display_name}</span>
        <button type="button" class="link" lang=${locale() === 'sv' ? 'en' : 'sv'} onClick=${() => setLocale(locale() === 'sv' ? 'en' : 'sv')}>
          ${locale() === 'sv' ? 'English' : 'Svenska'}</button>
        <button type="button" class="link" onClick=${onLogout}>${t('nav.logout')}</button>
      </div>
    </header>
    <main id="main" tabindex="-1">${children}</main>`;
}
