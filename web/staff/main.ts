// The staff app: log-in, queue, case page, contact centre and contractor portal under /staff.
import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { addMessages, initLocale, onLocaleChange, t } from '../shared/i18n.js';
import { sv } from './messages.sv.js';
import { en } from './messages.en.js';
import { fetchMe } from './api.js';
import { homeFor, setSession, useSession } from './session.js';
import { navigate, useLocation } from './router.js';
import { Layout } from './layout.js';
import { LoginPage } from './pages/login.js';
import { QueuePage } from './pages/queue.js';
import { CasePage } from './pages/case.js';
import { RegisterPage } from './pages/register.js';
import { WorkOrdersPage } from './pages/work-orders.js';
import { AgreementsPage } from './pages/agreements.js';
import './styles.css';

addMessages('sv', sv);
addMessages('en', en);
initLocale();

function Routes({ path, query }: { path: string; query: URLSearchParams }) {
  const caseMatch = /^\/staff\/cases\/([^/]+)$/.exec(path);
  if (caseMatch) return html`<${CasePage} id=${decodeURIComponent(caseMatch[1])} />`;
  if (path === '/staff/cases') return html`<${QueuePage} search=${query} />`;
  if (path === '/staff/register') return html`<${RegisterPage} />`;
  if (path === '/staff/work-orders') return html`<${WorkOrdersPage} />`;
  if (path === '/staff/agreements') return html`<${AgreementsPage} />`;
  return html`<h1>${t('notFound.title')}</h1><p>${t('notFound.text')}</p>`;
}

function App() {
  const me = useSession();
  const { path, query } = useLocation();
  const [ready, setReady] = useState(false);
  const [, setLang] = useState(0);
  useEffect(() => onLocaleChange(() => setLang((n) => n + 1)), []);
  useEffect(() => {
    fetchMe().then((m) => {
      setSession(m);
      setReady(true);
    });
  }, []);
  useEffect(() => {
    if (!ready) return;
    if (!me && path !== '/staff/login') navigate(`/staff/login?next=${encodeURIComponent(location.pathname + location.search)}`, true);
    else if (me && (path === '/staff' || path === '/staff/login')) navigate(homeFor(me), true);
  }, [ready, me, path]);
  if (!ready) return html`<p class="loading" role="status">${t('common.loading')}</p>`;
  if (!me) return path === '/staff/login' ? html`<${LoginPage} next=${query.get('next')} />` : null;
  return html`<${Layout} me=${me} path=${path}><${Routes} path=${path} query=${query} /><//>`;
}

render(html`<${App} />`, document.getElementById('app')!);
