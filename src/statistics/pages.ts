import type { FastifyInstance, FastifyReply } from 'fastify';
import { toAppError } from '../shared/error-handler.js';
import { listAgreements, readMunicipalities } from './repo.js';
import { MAP_FIGURES, type Comparison, type MapFigure, type Selection, type StatisticsService } from './service.js';
import { tableOf, type TableName } from './tables.js';
import { barChart, esc, lineChart, PALETTE, stackedShareChart } from './svg.js';
import { choropleth } from './map-svg.js';
import { translator } from './messages.js';

type Lang = 'sv' | 'en';
type T = ReturnType<typeof translator>;
type Query = Record<string, string | string[] | undefined>;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
main{max-width:70rem;margin:0 auto;padding:1rem}a{color:#0b5394}a:focus,select:focus,input:focus,button:focus{outline:3px solid #D55E00;outline-offset:2px}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}th,td{border:1px solid #999;padding:.2rem .5rem;text-align:left}td.n{text-align:right}
caption{text-align:left;font-weight:600}.charts{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}svg text{font-size:12px;fill:#1a1a1a}
fieldset{border:1px solid #999;padding:.5rem 1rem}label{display:block;margin-top:.5rem}.skip{position:absolute;left:-999px}.skip:focus{left:1rem}`;

function first(q: Query, key: string): string | undefined {
  const v = q[key];
  return (Array.isArray(v) ? v[0] : v) || undefined;
}

function all(q: Query, key: string): string[] {
  const v = q[key];
  return (Array.isArray(v) ? v : v ? [v] : []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

function langOf(q: Query): Lang {
  return first(q, 'lang') === 'en' ? 'en' : 'sv';
}

function fmt(n: number | null, lang: Lang): string {
  return n === null ? '' : n.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 2 });
}

function page(lang: Lang, title: string, body: string, switchUrl: string, t: T): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)} – Ingång</title><style>${STYLE}</style></head><body><a class="skip" href="#main">${lang === 'sv' ? 'Till innehållet' : 'Skip to content'}</a>` +
    `<header><nav aria-label="${lang === 'sv' ? 'Statistik' : 'Statistics'}" style="padding:.5rem 1rem"><a href="/statistik?lang=${lang}">${esc(t('nav.index'))}</a> · ` +
    `<a href="${esc(switchUrl)}" lang="${lang === 'sv' ? 'en' : 'sv'}">${esc(t('lang.switch'))}</a></nav></header><main id="main">${body}</main></body></html>`;
}

function htmlTable(caption: string, header: string[], rows: (string | number | null)[][], t: T, lang: Lang): string {
  const head = header.map((h) => `<th scope="col">${esc(t(`col.${h}`))}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((v, i) => (i === 1 ? `<th scope="row">${esc(v)}</th>` : typeof v === 'number' ? `<td class="n">${esc(fmt(v, lang))}</td>` : `<td>${esc(v ?? '')}</td>`)).join('')}</tr>`).join('');
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function apiQuery(sel: Selection): string {
  const p = new URLSearchParams();
  if (sel.municipalities?.length) p.set('municipalities', sel.municipalities.join(','));
  if (sel.county) p.set('county', sel.county);
  if (sel.agreement) p.set('agreement', sel.agreement);
  if (sel.from) p.set('from', sel.from);
  if (sel.to) p.set('to', sel.to);
  return p.toString();
}

function tableSection(c: Comparison, table: TableName, title: string, chart: string, sel: Selection, t: T, lang: Lang): string {
  const { header, rows } = tableOf(c, table, lang);
  const csv = `/api/statistics/compare.csv?${apiQuery(sel)}&table=${table}&lang=${lang}`;
  return `<section aria-labelledby="h-${table}"><h2 id="h-${table}">${esc(title)}</h2><div class="charts">${chart}</div>` +
    `${htmlTable(t('table.caption', { title }), header, rows, t, lang)}<p><a href="${esc(csv)}" download>${esc(t('download.csv'))}: ${esc(title)}</a></p></section>`;
}

function comparisonBody(c: Comparison, mapHtml: string, sel: Selection, t: T, lang: Lang): string {
  const ms = c.municipalities;
  const summaryCharts = MAP_FIGURES.map((f) => `<figure>${barChart({
    title: t(`fig.${f}`), desc: t('chart.desc.bars'), lang, noData: t('nodata'),
    items: ms.map((m, i) => ({ label: m.name, value: m[f], colour: PALETTE[i % PALETTE.length] })),
  })}</figure>`).join('');
  const categoryCharts = ms.slice(0, 12).map((m, i) => `<figure>${barChart({
    title: `${t('section.categories')}: ${m.name}`, desc: t('chart.desc.categories'), lang, noData: t('nodata'),
    items: m.by_category.slice(0, 8).map((k) => ({ label: lang === 'sv' ? k.name_sv : k.name_en, value: k.per_1000, colour: PALETTE[i % PALETTE.length] })),
  })}</figure>`).join('');
  const channelKeys = [...new Set(ms.flatMap((m) => m.channels.map((k) => k.channel)))].sort();
  const channels = stackedShareChart({
    title: t('section.channels'), desc: t('chart.desc.channels'),
    rows: ms.map((m) => ({ label: m.name, parts: channelKeys.map((k) => ({ key: k, share: m.channels.find((x) => x.channel === k)?.share_pct ?? 0 })) })),
    legend: channelKeys.map((k) => ({ key: k, label: t(`channel.${k}`) })),
  });
  const months = [...new Set(ms.flatMap((m) => m.trend.map((x) => x.month)))].sort();
  const trend = lineChart({
    title: t('section.trend'), desc: t('chart.desc.trend'), lang, months,
    series: ms.slice(0, 8).map((m) => ({ label: m.name, values: months.map((mo) => m.trend.find((x) => x.month === mo)?.cases ?? 0) })),
  });
  const notes = `<p>${esc(t('note.population', { label: c.population_label[lang] }))} ${esc(t('note.period', { from: c.period.from ?? t('note.all'), to: c.period.to ?? t('note.all') }))} ` +
    `${esc(t('percentile.note'))} <a href="/api/statistics/compare?${esc(apiQuery(sel))}">${esc(t('download.json'))}</a></p>`;
  return notes +
    tableSection(c, 'summary', t('section.summary'), summaryCharts, sel, t, lang) +
    tableSection(c, 'categories', t('section.categories'), categoryCharts, sel, t, lang) +
    tableSection(c, 'channels', t('section.channels'), `<figure>${channels}</figure>`, sel, t, lang) +
    tableSection(c, 'trend', t('section.trend'), `<figure>${trend}</figure>`, sel, t, lang) + mapHtml;
}

async function mapSection(stats: StatisticsService, sel: Selection, figure: MapFigure, highlight: string[], t: T, lang: Lang): Promise<string> {
  const map = await stats.map({ from: sel.from, to: sel.to }, figure);
  const values = new Map(map.values.map((v) => [v.code, v.value]));
  const svg = choropleth({ title: `${t('section.map')}: ${t(`fig.${figure}`)}`, desc: t('chart.desc.map'), values, highlight: new Set(highlight), noData: t('nodata'), format: (n) => fmt(n, lang) });
  const rows = map.values.map((v) => [v.code, v.name, v.value]);
  const csv = `/api/statistics/map.csv?figure=${figure}${sel.from ? `&from=${sel.from}` : ''}${sel.to ? `&to=${sel.to}` : ''}`;
  const options = MAP_FIGURES.map((f) => `<option value="${f}"${f === figure ? ' selected' : ''}>${esc(t(`fig.${f}`))}</option>`).join('');
  const hidden = Object.entries({ municipalities: sel.municipalities?.join(','), county: sel.county, agreement: sel.agreement, from: sel.from, to: sel.to, lang })
    .filter(([, v]) => v).map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`).join('');
  return `<section aria-labelledby="h-map"><h2 id="h-map">${esc(t('section.map'))}: ${esc(t(`fig.${figure}`))}</h2>` +
    `<form method="get"><label for="figure">${esc(t('form.figure'))}</label><select id="figure" name="figure">${options}</select>${hidden} <button>${esc(t('form.submit'))}</button></form>` +
    `<figure>${svg}</figure><details><summary>${esc(t('table.show'))}</summary>${htmlTable(t('table.caption', { title: t(`fig.${figure}`) }), ['municipality_code', 'municipality', 'value'], rows, t, lang)}</details>` +
    `<p><a href="${esc(csv)}" download>${esc(t('download.csv'))}: ${esc(t(`fig.${figure}`))}</a></p></section>`;
}

async function pickerForm(app: FastifyInstance, sel: Selection, t: T, lang: Lang): Promise<string> {
  const municipalities = await readMunicipalities(app.ctx.db);
  const counties = await app.ctx.db.selectFrom('counties').select(['code', 'name']).orderBy('code').execute();
  const agreements = await listAgreements(app.ctx.db);
  const chosen = new Set(sel.municipalities ?? []);
  const opt = (v: string, label: string, on: boolean) => `<option value="${esc(v)}"${on ? ' selected' : ''}>${esc(label)}</option>`;
  return `<form method="get" action="/statistik/jamfor"><fieldset><legend>${esc(t('form.legend'))}</legend><input type="hidden" name="lang" value="${lang}">` +
    `<label for="f-m">${esc(t('form.municipalities'))}</label><select id="f-m" name="municipalities" multiple size="8">${municipalities.map((m) => opt(m.code, `${m.name} (${m.code})`, chosen.has(m.code))).join('')}</select>` +
    `<label for="f-c">${esc(t('form.county'))}</label><select id="f-c" name="county">${opt('', t('form.none'), !sel.county)}${counties.map((c) => opt(c.code, `${c.name} (${c.code})`, sel.county === c.code)).join('')}</select>` +
    `<label for="f-a">${esc(t('form.agreement'))}</label><select id="f-a" name="agreement">${opt('', t('form.none'), !sel.agreement)}${agreements.map((a) => opt(a.reference, `${a.reference} – ${lang === 'sv' ? a.provider_sv : a.provider_en}`, sel.agreement === a.reference)).join('')}</select>` +
    `<label for="f-from">${esc(t('form.from'))}</label><input id="f-from" name="from" pattern="\\d{4}-\\d{2}" value="${esc(sel.from ?? '')}">` +
    `<label for="f-to">${esc(t('form.to'))}</label><input id="f-to" name="to" pattern="\\d{4}-\\d{2}" value="${esc(sel.to ?? '')}">` +
    `<p><button>${esc(t('form.submit'))}</button></p></fieldset></form>`;
}

function selectionFrom(q: Query): Selection {
  return { municipalities: all(q, 'municipalities'), county: first(q, 'county') ?? null, agreement: first(q, 'agreement') ?? null, from: first(q, 'from') ?? null, to: first(q, 'to') ?? null };
}

function figureFrom(q: Query): MapFigure {
  const f = first(q, 'figure');
  return (MAP_FIGURES as readonly string[]).includes(f ?? '') ? (f as MapFigure) : 'cases_per_1000';
}

function switchUrl(url: string, lang: Lang): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang === 'sv' ? 'en' : 'sv');
  return u.pathname + u.search;
}

async function renderError(reply: FastifyReply, error: unknown, lang: Lang, url: string): Promise<FastifyReply> {
  const appError = toAppError(error);
  if (!appError) throw error;
  const t = translator(lang);
  return reply.code(appError.status).type('text/html; charset=utf-8')
    .send(page(lang, t('page.compare'), `<h1>${esc(t('page.compare'))}</h1><p role="alert">${esc(lang === 'sv' ? appError.message_sv : appError.message)}</p>`, switchUrl(url, lang), t));
}

/** The public statistics pages: an index with the picker, one page per municipality and the comparison page. */
export async function statisticsPages(app: FastifyInstance, stats: StatisticsService): Promise<void> {
  const html = (reply: FastifyReply, body: string) => reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=300').send(body);

  app.get('/statistik', { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Query;
    const lang = langOf(q);
    const t = translator(lang);
    const sel = selectionFrom(q);
    const body = `<h1>${esc(t('page.index'))}</h1><p>${esc(t('page.intro'))}</p>${await pickerForm(app, sel, t, lang)}` +
      (await mapSection(stats, sel, figureFrom(q), [], t, lang));
    return html(reply, page(lang, t('page.index'), body, switchUrl(request.url, lang), t));
  });

  app.get('/statistik/kommun/:code', { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Query;
    const lang = langOf(q);
    const t = translator(lang);
    const sel = { ...selectionFrom(q), municipalities: [(request.params as { code: string }).code], county: null, agreement: null };
    try {
      const c = await stats.compare(sel);
      const title = t('page.municipality', { name: c.municipalities[0].name });
      const body = `<h1>${esc(title)}</h1>${comparisonBody(c, await mapSection(stats, sel, figureFrom(q), sel.municipalities, t, lang), sel, t, lang)}`;
      return html(reply, page(lang, title, body, switchUrl(request.url, lang), t));
    } catch (error) {
      return renderError(reply, error, lang, request.url);
    }
  });

  app.get('/statistik/jamfor', { schema: { hide: true } }, async (request, reply) => {
    const q = request.query as Query;
    const lang = langOf(q);
    const t = translator(lang);
    const sel = selectionFrom(q);
    try {
      const c = await stats.compare(sel);
      const codes = c.municipalities.map((m) => m.code);
      const body = `<h1>${esc(t('page.compare'))}: ${esc(c.municipalities.map((m) => m.name).join(', '))}</h1>${await pickerForm(app, sel, t, lang)}` +
        comparisonBody(c, await mapSection(stats, sel, figureFrom(q), codes, t, lang), sel, t, lang);
      return html(reply, page(lang, t('page.compare'), body, switchUrl(request.url, lang), t));
    } catch (error) {
      return renderError(reply, error, lang, request.url);
    }
  });
}
