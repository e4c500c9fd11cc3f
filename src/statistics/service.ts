import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { badInput } from '../shared/errors.js';
import { pct, per1000, percentileHours } from './figures.js';
import {
  hasDirtyGroups, municipalitiesOfAgreement, municipalitiesOfCounty, readHistograms, readMunicipalities, readServices, readSums,
  refreshDirtyGroups, type SumRow,
} from './repo.js';

/** The population figures are from this date; every output names it. */
export const POPULATION_LABEL = { sv: 'befolkning 2016-12-31', en: 'population 2016-12-31' } as const;

/** Which municipalities and period a question is about. */
export interface Selection {
  municipalities?: string[];
  county?: string | null;
  agreement?: string | null;
  from?: string | null;
  to?: string | null;
  services?: string[];
}

/** The figures of one municipality. */
export interface MunicipalityFigures {
  code: string;
  name: string;
  county_code: string;
  population: number | null;
  cases: number;
  closed: number;
  cases_per_1000: number | null;
  median_hours_to_close: number | null;
  p90_hours_to_close: number | null;
  sla_compliance_pct: number | null;
  sla_cases: number;
  first_contact_pct: number | null;
  reopen_pct: number | null;
  by_category: { service_code: string; name_sv: string; name_en: string; cases: number; per_1000: number | null }[];
  channels: { channel: string; cases: number; share_pct: number | null }[];
  trend: { month: string; cases: number; closed: number }[];
}

export interface Comparison {
  population_label: typeof POPULATION_LABEL;
  period: { from: string | null; to: string | null };
  percentile_note: { sv: string; en: string };
  municipalities: MunicipalityFigures[];
}

/** The figures a map or a ranking can show. */
export const MAP_FIGURES = ['cases_per_1000', 'median_hours_to_close', 'p90_hours_to_close', 'sla_compliance_pct', 'first_contact_pct', 'reopen_pct'] as const;
export type MapFigure = (typeof MAP_FIGURES)[number];

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthStart(value: string | null | undefined, field: string): string | null {
  if (!value) return null;
  if (!MONTH.test(value)) throw badInput(field, 'must be a month as YYYY-MM, e.g. 2026-01', 'ska vara en månad som ÅÅÅÅ-MM, t.ex. 2026-01');
  return `${value}-01`;
}

/** Statistics per municipality and comparisons, read from the pre-aggregated tables (refreshed first if stale). */
export class StatisticsService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Recomputes the groups changed since the last refresh; cheap when nothing changed. */
  async refresh(): Promise<number> {
    return (await hasDirtyGroups(this.db)) ? refreshDirtyGroups(this.db) : 0;
  }

  /** Resolves a selection (codes, a county, an agreement) to municipality codes, validating each. */
  async resolveMunicipalities(sel: Selection): Promise<string[]> {
    const codes = new Set<string>();
    for (const code of sel.municipalities ?? []) {
      if (!/^\d{4}$/.test(code)) throw badInput('municipalities', `"${code}" is not a four-digit kommunkod`, `"${code}" är ingen fyrsiffrig kommunkod`);
      codes.add(code);
    }
    if (sel.county) {
      if (!/^\d{2}$/.test(sel.county)) throw badInput('county', 'must be a two-digit county code (länskod), e.g. 13', 'ska vara en tvåsiffrig länskod, t.ex. 13');
      const inCounty = await municipalitiesOfCounty(this.db, sel.county);
      if (inCounty.length === 0) throw badInput('county', `no county ${sel.county}`, `länet ${sel.county} finns inte`);
      inCounty.forEach((c) => codes.add(c));
    }
    if (sel.agreement) {
      const members = await municipalitiesOfAgreement(this.db, sel.agreement);
      if (members.length === 0) throw badInput('agreement', `no agreement "${sel.agreement}"`, `avtalet "${sel.agreement}" finns inte`);
      members.forEach((c) => codes.add(c));
    }
    if (codes.size === 0) {
      throw badInput('municipalities', 'name at least one municipality, a county or an agreement', 'välj minst en kommun, ett län eller ett avtal');
    }
    return [...codes].sort();
  }

  /** Side-by-side figures for the selected municipalities. */
  async compare(sel: Selection): Promise<Comparison> {
    const codes = await this.resolveMunicipalities(sel);
    const known = await readMunicipalities(this.db, codes);
    const unknown = codes.filter((c) => !known.some((m) => m.code === c));
    if (unknown.length) throw badInput('municipalities', `unknown kommunkod ${unknown.join(', ')}`, `okänd kommunkod ${unknown.join(', ')}`);
    return this.figuresFor(known, sel);
  }

  /** One figure for all 290 municipalities, for the map of Sweden. */
  async map(sel: Omit<Selection, 'municipalities' | 'county' | 'agreement'>, figure: MapFigure): Promise<{ figure: MapFigure; population_label: typeof POPULATION_LABEL; values: { code: string; name: string; value: number | null }[] }> {
    const all = await readMunicipalities(this.db);
    const comparison = await this.figuresFor(all, sel, true);
    return {
      figure,
      population_label: POPULATION_LABEL,
      values: comparison.municipalities.map((m) => ({ code: m.code, name: m.name, value: m[figure] })),
    };
  }

  private async figuresFor(municipalities: Awaited<ReturnType<typeof readMunicipalities>>, sel: Selection, totalsOnly = false): Promise<Comparison> {
    await this.refresh();
    const from = monthStart(sel.from, 'from');
    const to = monthStart(sel.to, 'to');
    const services = await readServices(this.db);
    const byCode = new Map(services.map((s) => [s.service_code, s]));
    const serviceIds = (sel.services ?? []).map((code) => {
      const s = byCode.get(code);
      if (!s) throw badInput('service', `"${code}" is not a known service`, `"${code}" är ingen känd kategori`);
      return s.id;
    });
    const filter = { municipalityCodes: municipalities.map((m) => m.code), fromMonth: from, toMonth: to, serviceIds };
    const [sums, hist] = [await readSums(this.db, filter, totalsOnly), await readHistograms(this.db, filter)];
    const byId = new Map(services.map((s) => [s.id, s]));
    const rowsOf = new Map<string, SumRow[]>();
    for (const row of sums) rowsOf.set(row.municipality_code, [...(rowsOf.get(row.municipality_code) ?? []), row]);
    const histOf = new Map<string, Map<number, number>>();
    for (const h of hist) {
      const m = histOf.get(h.municipality_code) ?? new Map<number, number>();
      m.set(h.bucket, h.n);
      histOf.set(h.municipality_code, m);
    }
    return {
      population_label: POPULATION_LABEL,
      period: { from: sel.from ?? null, to: sel.to ?? null },
      percentile_note: {
        sv: 'Median och 90:e percentil räknas ur en logaritmisk histogram och stämmer på några procent när.',
        en: 'Median and 90th percentile are read from a log-scale histogram and are accurate to within a few per cent.',
      },
      municipalities: municipalities.map((m) => {
        const rows = rowsOf.get(m.code) ?? [];
        const total = rows.find((r) => r.grouping === 'total');
        const cases = total?.cases ?? 0;
        const h = histOf.get(m.code) ?? new Map<number, number>();
        return {
          code: m.code,
          name: m.name,
          county_code: m.county_code,
          population: m.population_2016,
          cases,
          closed: total?.closed ?? 0,
          cases_per_1000: per1000(cases, m.population_2016),
          median_hours_to_close: percentileHours(h, 0.5),
          p90_hours_to_close: percentileHours(h, 0.9),
          sla_compliance_pct: pct(total?.sla_met ?? 0, total?.sla_due ?? 0),
          sla_cases: total?.sla_due ?? 0,
          first_contact_pct: pct(total?.first_contact ?? 0, cases),
          reopen_pct: pct(total?.reopened ?? 0, cases),
          by_category: rows
            .filter((r) => r.grouping === 'service')
            .map((r) => {
              const s = byId.get(r.service_id!)!;
              return { service_code: s.service_code, name_sv: s.name_sv, name_en: s.name_en, cases: r.cases, per_1000: per1000(r.cases, m.population_2016) };
            })
            .sort((a, b) => b.cases - a.cases || a.service_code.localeCompare(b.service_code)),
          channels: rows
            .filter((r) => r.grouping === 'channel')
            .map((r) => ({ channel: r.channel!, cases: r.cases, share_pct: pct(r.cases, cases) }))
            .sort((a, b) => b.cases - a.cases || a.channel.localeCompare(b.channel)),
          trend: rows
            .filter((r) => r.grouping === 'month')
            .map((r) => ({ month: r.month!.slice(0, 7), cases: r.cases, closed: r.closed }))
            .sort((a, b) => a.month.localeCompare(b.month)),
        };
      }),
    };
  }
}
