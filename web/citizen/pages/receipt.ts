// After sending: the case number, who handles it and why, the expected time, and the private follow link.
import { html } from 'htm/preact';
import { t } from '../../shared/i18n.js';
import type { Receipt } from '../api.js';
import { formatDate, w } from '../ui.js';

/** The receipt shown in place of the form. */
export function ReceiptView(props: { receipt: Receipt }) {
  const r = props.receipt;
  const followUrl = `${location.origin}${r.follow_path}`;
  return html`<section class="receipt" aria-labelledby="receipt-title">
    <h2 id="receipt-title" tabindex="-1">${t('receipt.title')}</h2>
    <p class="case-number">${t('receipt.number')} <strong id="receipt-number">${r.case_number}</strong></p>
    <dl class="facts">
      <dt>${t('receipt.handled_by')}</dt><dd>${w(r.organisation)}<br /><span class="muted">${w(r.handled_because)}</span></dd>
      <dt>${t('receipt.expected')}</dt><dd>${r.sla_due_at ? formatDate(r.sla_due_at) : t('receipt.no_sla')}</dd>
      ${r.photos > 0 ? html`<dt>${t('receipt.photos')}</dt><dd>${r.photos}</dd>` : ''}
    </dl>
    <h3>${t('receipt.follow_title')}</h3>
    <p>${t('receipt.follow_text')}</p>
    <p class="follow-link"><a id="follow-link" href=${r.follow_path}>${followUrl}</a></p>
    <p><a href=${r.case_path}>${t('receipt.public_page')}</a></p>
    <p><a href=${location.pathname} onClick=${(e: Event) => { e.preventDefault(); location.reload(); }}>${t('receipt.another')}</a></p>
  </section>`;
}
