import { Type, type Static } from '@fastify/type-provider-typebox';
import { MAP_FIGURES } from './service.js';
import { TABLES } from './tables.js';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'Month as YYYY-MM (Swedish time)' });
const CodeList = Type.String({ maxLength: 3000, description: 'Comma-separated list' });

/** Query of a comparison: municipalities and/or a county and/or an agreement, a period and services. */
export const CompareQuery = Type.Object({
  municipalities: Type.Optional(CodeList),
  county: Type.Optional(Type.String({ maxLength: 2 })),
  agreement: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
  service: Type.Optional(CodeList),
});
export type CompareQuery = Static<typeof CompareQuery>;

export const CsvQuery = Type.Intersect([CompareQuery, Type.Object({
  table: Type.Union(TABLES.map((t) => Type.Literal(t)), { default: 'summary' }),
  lang: Type.Optional(Type.Union([Type.Literal('sv'), Type.Literal('en')])),
})]);

export const MapQuery = Type.Object({
  figure: Type.Union(MAP_FIGURES.map((f) => Type.Literal(f)), { default: 'cases_per_1000' }),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
  service: Type.Optional(CodeList),
});

const Label = Type.Object({ sv: Type.String(), en: Type.String() });
const Num = Type.Union([Type.Number(), Type.Null()]);

export const MunicipalityFigures = Type.Object({
  code: Type.String(), name: Type.String(), county_code: Type.String(), population: Num,
  cases: Type.Integer(), closed: Type.Integer(), cases_per_1000: Num,
  median_hours_to_close: Num, p90_hours_to_close: Num, sla_compliance_pct: Num, sla_cases: Type.Integer(),
  first_contact_pct: Num, reopen_pct: Num,
  by_category: Type.Array(Type.Object({ service_code: Type.String(), name_sv: Type.String(), name_en: Type.String(), cases: Type.Integer(), per_1000: Num })),
  channels: Type.Array(Type.Object({ channel: Type.String(), cases: Type.Integer(), share_pct: Num })),
  trend: Type.Array(Type.Object({ month: Type.String(), cases: Type.Integer(), closed: Type.Integer() })),
});

export const ComparisonReply = Type.Object({
  population_label: Label,
  period: Type.Object({ from: Type.Union([Type.String(), Type.Null()]), to: Type.Union([Type.String(), Type.Null()]) }),
  percentile_note: Label,
  municipalities: Type.Array(MunicipalityFigures),
});

export const MapReply = Type.Object({
  figure: Type.String(),
  population_label: Label,
  values: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), value: Num })),
});

export const AgreementsReply = Type.Array(Type.Object({
  reference: Type.String(), provider_sv: Type.String(), provider_en: Type.String(), municipality_codes: Type.Array(Type.String()),
}));

/** Splits a comma list, dropping blanks. */
export function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
