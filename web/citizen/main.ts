// The citizen pages: report a problem, follow a case, see what is reported nearby. Swedish by default,
// English by a switch; every text is in messages.sv.ts / messages.en.ts.
import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { addMessages, initLocale, locale, onLocaleChange, setLocale, t } from '../shared/i18n.js';
import { getConfig, getServices, type Group, type PublicConfig } from './api.js';
import { SV } from './messages.sv.js';
import { EN } from './messages.en.js';
import { interceptLinks, useRoute } from './router.js';
import { StartPage } from './pages/start.js';
import { CasePage } from './pages/case.js';
import { ListPage } from './pages/list.js';
import { UnsubscribePage } from './pages/unsubscribe.js';
import { focusSoon } from './ui.js';
import './styles.css';

addMessages('sv', SV);
addMessages('en', EN);
initLocale();

function App() {
  const route = useRoute();
  const [, setTick] = useState(0);
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [config, setConfig] = useState<PublicConfig | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => onLocaleChange(() => setTick((n) => n + 1)), []);
  useEffect(() => {
    getServices().then((s) => setGroups(s.groups), setError);
    getConfig().then(setConfig, () => undefined);
  }, []);
  const path = location.pathname;
  const first = useState(path)[0];
  useEffect(() => {
    if (path !== first) focusSoon('#page-title');
  }, [path]);

  const page = route.name === 'start' ? html`<${StartPage} municipalityKey=${route.key} groups=${groups} config=${config} error=${error} />`
    : route.name === 'list' ? html`<${ListPage} municipalityKey=${route.key} groups=${groups} />`
    : route.name === 'case' ? html`<${CasePage} number=${route.number} />`
    : route.name === 'follow' ? html`<${CasePage} token=${route.token} />`
    : route.name === 'unsubscribe' ? html`<${UnsubscribePage} token=${route.token} />`
    : html`<h1 id="page-title">${t('error.not_found')}</h1><p><a href="/">${t('nav.home')}</a></p>`;
  const other = locale() === 'sv' ? 'en' : 'sv';
  return html`<a class="skip" href="#main">${t('nav.skip')}</a>
    <header class="top">
      <a class="brand" href="/">Ingång <span class="brand-sub">${t('app.tagline')}</span></a>
      <button type="button" class="lang" lang=${other} onClick=${() => setLocale(other)}>${other === 'en' ? 'In English' : 'På svenska'}</button>
    </header>
    <main id="main" tabindex="-1">${page}</main>
    <footer class="foot"><p>${t('footer.text')}</p></footer>`;
}

const root = document.getElementById('app')!;
interceptLinks(root);
render(html`<${App} />`, root);
