import { csvLine } from '../opendata/csv.js';
import type { Comparison } from './service.js';

/** The tables behind the charts; each is shown on the pages and downloadable as CSV. */
export const TABLES = ['summary', 'categories', 'channels', 'trend'] as const;
export type TableName = (typeof TABLES)[number];

/**
 * Header keys and rows of one table of a comparison. Keys are stable snake_case column names (the CSV
 * header); pages translate them through the message catalogue (`col.<key>`).
 */
export function tableOf(c: Comparison, table: TableName, lang: 'sv' | 'en' = 'sv'): { header: string[]; rows: (string | number | null)[][] } {
  switch (table) {
    case 'summary':
      return {
        header: ['municipality_code', 'municipality', 'population_2016_12_31', 'cases', 'closed', 'cases_per_1000', 'median_hours_to_close',
          'p90_hours_to_close', 'sla_compliance_pct', 'first_contact_pct', 'reopen_pct'],
        rows: c.municipalities.map((m) => [m.code, m.name, m.population, m.cases, m.closed, m.cases_per_1000, m.median_hours_to_close,
          m.p90_hours_to_close, m.sla_compliance_pct, m.first_contact_pct, m.reopen_pct]),
      };
    case 'categories':
      return {
        header: ['municipality_code', 'municipality', 'service_code', 'service_name', 'cases', 'cases_per_1000'],
        rows: c.municipalities.flatMap((m) => m.by_category.map((k) => [m.code, m.name, k.service_code, lang === 'sv' ? k.name_sv : k.name_en, k.cases, k.per_1000])),
      };
    case 'channels':
      return {
        header: ['municipality_code', 'municipality', 'channel', 'cases', 'share_pct'],
        rows: c.municipalities.flatMap((m) => m.channels.map((k) => [m.code, m.name, k.channel, k.cases, k.share_pct])),
      };
    case 'trend':
      return {
        header: ['municipality_code', 'municipality', 'month', 'cases', 'closed'],
        rows: c.municipalities.flatMap((m) => m.trend.map((t) => [m.code, m.name, t.month, t.cases, t.closed])),
      };
  }
}

/** A table as CSV text (UTF-8 with BOM so that spreadsheet programs read åäö right). */
export function tableCsv(c: Comparison, table: TableName, lang: 'sv' | 'en' = 'sv'): string {
  const { header, rows } = tableOf(c, table, lang);
  return '\uFEFF' + csvLine(header) + rows.map((r) => csvLine(r)).join('');
}
