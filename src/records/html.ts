import type { CaseRecord } from './service.js';

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The records export as a printable page (Swedish; the record is a Swedish public document). */
export function recordHtml(record: CaseRecord, exportedBy: string): string {
  const row = (label: string, value: unknown) => `<tr><th scope="row">${escape(label)}</th><td>${escape(value)}</td></tr>`;
  const reporter = record.reporter.masked
    ? row('Anmälare', '[maskerad]')
    : [row('Anmälare', record.reporter.anonymised ? '[gallrad]' : record.reporter.name ?? '–'), row('E-post', record.reporter.email ?? '–'), row('Telefon', record.reporter.phone ?? '–')].join('');
  const events = record.events.map((e) => `<tr><td>${escape(e.at)}</td><td>${escape(e.kind)}</td><td>${e.visibility === 'public' ? 'Offentlig' : 'Intern'}</td><td>${escape(e.actor ?? '')}</td><td>${escape(e.body ?? '')}</td></tr>`).join('');
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Allmän handling ${escape(record.case_number)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}@media print{body{margin:0}}</style>
</head><body>
<h1>Ärende ${escape(record.case_number)}</h1>
<p>${escape(record.organisation)} · Registrerat ${escape(record.registered_at)} · Utdrag ${escape(new Date().toISOString())} av ${escape(exportedBy)}</p>
<h2>Uppgifter</h2><table>${row('Kategori', record.category.sv)}${row('Kanal', record.channel)}${row('Status', record.current.status)}${row('Sekretessmarkerat', record.confidential ? 'Ja' : 'Nej')}${reporter}</table>
<h2>Som inkommet</h2><table>${row('Beskrivning', record.as_received.description)}${row('Mottaget', record.as_received.received_at)}</table>
<h2>Nuvarande</h2><table>${row('Beskrivning', record.current.description)}${row('Adress', record.current.address ?? '–')}${row('Avslutat', record.current.closed_at ?? '–')}</table>
<h2>Händelser</h2><table><thead><tr><th>Tid</th><th>Händelse</th><th>Synlighet</th><th>Av</th><th>Text</th></tr></thead><tbody>${events}</tbody></table>
<h2>Foton</h2><p>${record.photos.length} st${record.photos.some((p) => p.disposed) ? ' (varav gallrade: ' + record.photos.filter((p) => p.disposed).length + ')' : ''}</p>
<h2>Maskering</h2><ul>${record.masking.map((m) => `<li>${escape(m)}</li>`).join('')}</ul>
</body></html>`;
}
