// Small accessible charts drawn as inline SVG on the server: no JavaScript, readable by screen readers
// (role="img" with a title and description; the same numbers are in the table beside each chart).

/** Escapes text for HTML and SVG. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, ≥ 3:1 against white except yellow (not used). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000', '#999933'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4', '4 4', '12 2'];

let chartSeq = 0;
function ids(prefix: string): { title: string; desc: string } {
  chartSeq = (chartSeq + 1) % 1_000_000;
  return { title: `${prefix}-t${chartSeq}`, desc: `${prefix}-d${chartSeq}` };
}

function fmt(n: number, lang: 'sv' | 'en'): string {
  return n.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
}

/** Horizontal bars, one per item; null values are drawn as "no data". */
export function barChart(opts: { title: string; desc: string; items: { label: string; value: number | null; colour?: string }[]; unit?: string; lang: 'sv' | 'en'; noData: string }): string {
  const { title, desc } = ids('bar');
  const barH = 22;
  const labelW = 150;
  const width = 520;
  const plotW = width - labelW - 70;
  const max = Math.max(0, ...opts.items.map((i) => i.value ?? 0)) || 1;
  const height = opts.items.length * (barH + 6) + 8;
  const bars = opts.items.map((item, i) => {
    const y = 4 + i * (barH + 6);
    const label = `<text x="${labelW - 6}" y="${y + barH / 2}" dy="0.35em" text-anchor="end">${esc(item.label)}</text>`;
    if (item.value === null) return `${label}<text x="${labelW + 4}" y="${y + barH / 2}" dy="0.35em" fill="#555">${esc(opts.noData)}</text>`;
    const w = Math.max(1, (item.value / max) * plotW);
    return `${label}<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${item.colour ?? PALETTE[0]}"/>` +
      `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + barH / 2}" dy="0.35em">${esc(fmt(item.value, opts.lang))}${opts.unit ? esc(' ' + opts.unit) : ''}</text>`;
  });
  return `<svg class="chart" role="img" aria-labelledby="${title} ${desc}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${title}">${esc(opts.title)}</title><desc id="${desc}">${esc(opts.desc)}</desc>${bars.join('')}</svg>`;
}

/** One 100 % bar per row, split into parts (e.g. channel mix); parts carry a legend below. */
export function stackedShareChart(opts: { title: string; desc: string; rows: { label: string; parts: { key: string; share: number }[] }[]; legend: { key: string; label: string }[] }): string {
  const { title, desc } = ids('stack');
  const barH = 22;
  const labelW = 150;
  const width = 520;
  const plotW = width - labelW - 10;
  const colour = new Map(opts.legend.map((l, i) => [l.key, PALETTE[i % PALETTE.length]]));
  const rowsSvg = opts.rows.map((row, i) => {
    const y = 4 + i * (barH + 6);
    let x = labelW;
    const parts = row.parts.map((p) => {
      const w = (p.share / 100) * plotW;
      const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colour.get(p.key) ?? '#777'}" stroke="#fff"/>`;
      x += w;
      return rect;
    });
    return `<text x="${labelW - 6}" y="${y + barH / 2}" dy="0.35em" text-anchor="end">${esc(row.label)}</text>${parts.join('')}`;
  });
  const legendY = 8 + opts.rows.length * (barH + 6);
  const legend = opts.legend.map((l, i) => {
    const x = 10 + (i % 4) * 125;
    const y = legendY + Math.floor(i / 4) * 20;
    return `<rect x="${x}" y="${y}" width="12" height="12" fill="${colour.get(l.key)}"/><text x="${x + 16}" y="${y + 6}" dy="0.35em">${esc(l.label)}</text>`;
  });
  const height = legendY + Math.ceil(opts.legend.length / 4) * 20 + 4;
  return `<svg class="chart" role="img" aria-labelledby="${title} ${desc}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${title}">${esc(opts.title)}</title><desc id="${desc}">${esc(opts.desc)}</desc>${rowsSvg.join('')}${legend.join('')}</svg>`;
}

/** Lines over months, one per series, told apart by colour and dash pattern. */
export function lineChart(opts: { title: string; desc: string; months: string[]; series: { label: string; values: (number | null)[] }[]; lang: 'sv' | 'en' }): string {
  const { title, desc } = ids('line');
  const width = 560;
  const left = 44;
  const top = 10;
  const plotW = width - left - 10;
  const plotH = 200;
  const max = Math.max(1, ...opts.series.flatMap((s) => s.values.map((v) => v ?? 0)));
  const n = Math.max(1, opts.months.length - 1);
  const x = (i: number) => left + (i / n) * plotW;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const axis = `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>` +
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>` +
    `<text x="${left - 4}" y="${top}" dy="0.35em" text-anchor="end">${esc(fmt(max, opts.lang))}</text>` +
    `<text x="${left - 4}" y="${top + plotH}" dy="0.35em" text-anchor="end">0</text>`;
  const step = Math.max(1, Math.ceil(opts.months.length / 8));
  const ticks = opts.months.map((m, i) => (i % step === 0 ? `<text x="${x(i).toFixed(1)}" y="${top + plotH + 14}" text-anchor="middle">${esc(m)}</text>` : '')).join('');
  const lines = opts.series.map((s, si) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean).join(' ');
    return `<polyline points="${pts}" fill="none" stroke="${PALETTE[si % PALETTE.length]}" stroke-width="2" stroke-dasharray="${DASHES[si % DASHES.length]}"/>`;
  }).join('');
  const legendY = top + plotH + 30;
  const legend = opts.series.map((s, si) => {
    const lx = 10 + (si % 3) * 180;
    const ly = legendY + Math.floor(si / 3) * 20;
    return `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${PALETTE[si % PALETTE.length]}" stroke-width="2" stroke-dasharray="${DASHES[si % DASHES.length]}"/>` +
      `<text x="${lx + 28}" y="${ly}" dy="0.35em">${esc(s.label)}</text>`;
  }).join('');
  const height = legendY + Math.ceil(opts.series.length / 3) * 20 + 4;
  return `<svg class="chart" role="img" aria-labelledby="${title} ${desc}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title id="${title}">${esc(opts.title)}</title><desc id="${desc}">${esc(opts.desc)}</desc>${axis}${ticks}${lines}${legend}</svg>`;
}
