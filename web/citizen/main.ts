import { html, render } from 'htm/preact';
import { addMessages, initLocale, t } from '../shared/i18n.js';

addMessages('sv', { 'app.title': 'Ingång – en väg in till kommunen' });
addMessages('en', { 'app.title': 'Ingång – one way in to your municipality' });
initLocale();
render(html`<main><h1>${t('app.title')}</h1></main>`, document.getElementById('app')!);
