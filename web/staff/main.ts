import { html, render } from 'htm/preact';
import { addMessages, initLocale, t } from '../shared/i18n.js';

addMessages('sv', { 'staff.title': 'Ingång – handläggning' });
addMessages('en', { 'staff.title': 'Ingång – case handling' });
initLocale();
render(html`<main><h1>${t('staff.title')}</h1></main>`, document.getElementById('app')!);
