// Log-in with e-mail and password; lands on the page the person's role starts from.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { locale, setLocale, t } from '../../shared/i18n.js';
import { login } from '../api.js';
import { homeFor, setSession } from '../session.js';
import { navigate } from '../router.js';
import { ErrorBox, usePageTitle } from '../ui.js';

/** The log-in page. */
export function LoginPage({ next }: { next: string | null }) {
  usePageTitle(t('login.title'));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const me = await login(String(form.get('email')), String(form.get('password')));
      setSession(me);
      navigate(next && next.startsWith('/staff/') && !next.startsWith('/staff/login') ? next : homeFor(me), true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return html`
    <main id="main" class="login">
      <h1>Ingång <span class="small">${t('app.staff')}</span></h1>
      <form onSubmit=${submit} class="card" novalidate>
        <h2>${t('login.title')}</h2>
        <${ErrorBox} error=${error} />
        <div class="field">
          <label for="email">${t('login.email')}</label>
          <input id="email" name="email" type="email" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="password">${t('login.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required
            aria-invalid=${error ? 'true' : undefined} />
        </div>
        <button type="submit" class="primary" disabled=${busy}>${t('login.submit')}</button>
      </form>
      <p><button type="button" class="link" lang=${locale() === 'sv' ? 'en' : 'sv'} onClick=${() => setLocale(locale() === 'sv' ? 'en' : 'sv')}>
        ${locale() === 'sv' ? 'English' : 'Svenska'}</button></p>
    </main>`;
}
