// One-click unsubscribe: the link in every e-mail opens this page, which stops the e-mails at once.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../shared/i18n.js';
import { unsubscribe } from '../api.js';
import { errorText } from '../ui.js';

/** /avsluta/<token> */
export function UnsubscribePage(props: { token: string }) {
  const [state, setState] = useState<{ done?: string; error?: string }>({});
  useEffect(() => {
    unsubscribe(props.token).then((r) => setState({ done: r.case_number }), (e) => setState({ error: errorText(e) }));
  }, [props.token]);
  return html`<div>
    <h1 id="page-title" tabindex="-1">${t('unsubscribe.title')}</h1>
    ${state.done ? html`<p role="status" class="notice notice-ok" id="unsubscribed">${t('unsubscribe.done', { number: state.done })}</p>
      <p><a href=${`/arende/${state.done}`}>${t('unsubscribe.case', { number: state.done })}</a></p>` : ''}
    ${state.error ? html`<p role="alert" class="notice notice-error">${state.error}</p>` : ''}
    ${!state.done && !state.error ? html`<p role="status">${t('loading')}</p>` : ''}
  </div>`;
}
