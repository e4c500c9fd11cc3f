import { Type, type Static } from '@fastify/type-provider-typebox';

const DATE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';

/** What an administrator sends to create or replace an agreement (a responsibility row and its links). */
export const AgreementInput = Type.Object({
  title: Type.String({ maxLength: 200 }),
  reference: Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Null()])),
  kind: Type.Union([Type.Literal('own'), Type.Literal('agreement'), Type.Literal('state'), Type.Literal('contract')]),
  provider_organisation_id: Type.Integer({ minimum: 1 }),
  municipality_codes: Type.Array(Type.String({ pattern: '^[0-9]{4}$' }), { maxItems: 290 }),
  area_ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 500 })),
  all_services: Type.Optional(Type.Boolean()),
  service_codes: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 100 })),
  group_codes: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 })),
  valid_from: Type.String({ pattern: DATE }),
  valid_to: Type.Optional(Type.Union([Type.String({ pattern: DATE }), Type.Null()])),
  receiving_unit_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
}, { additionalProperties: false });
export type AgreementInput = Static<typeof AgreementInput>;

/** An agreement as the admin API shows it. */
export const Agreement = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  provider_organisation_id: Type.Integer(),
  provider_name_sv: Type.String(),
  provider_name_en: Type.String(),
  municipality_codes: Type.Array(Type.String()),
  areas: Type.Array(Type.Object({ id: Type.Integer(), kind: Type.String(), code: Type.String(), name: Type.String(), municipality_code: Type.Union([Type.String(), Type.Null()]) })),
  member_municipalities: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  all_services: Type.Boolean(),
  service_codes: Type.Array(Type.String()),
  group_codes: Type.Array(Type.String()),
  valid_from: Type.String(),
  valid_to: Type.Union([Type.String(), Type.Null()]),
  receiving_unit_id: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.Union([Type.Literal('upcoming'), Type.Literal('active'), Type.Literal('ended')]),
  updated_at: Type.String(),
});
export type Agreement = Static<typeof Agreement>;

export const ReportQuery = Type.Object({
  from: Type.Optional(Type.String({ pattern: DATE })),
  to: Type.Optional(Type.String({ pattern: DATE })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
});

/** One line of the follow-up report: a buyer municipality, or the total (municipality_code null). */
export const ReportRow = Type.Object({
  municipality_code: Type.Union([Type.String(), Type.Null()]),
  municipality: Type.String(),
  cases: Type.Integer(),
  closed: Type.Integer(),
  open: Type.Integer(),
  median_handling_hours: Type.Union([Type.Number(), Type.Null()]),
  sla_met: Type.Integer(),
  sla_breached: Type.Integer(),
  sla_compliance_percent: Type.Union([Type.Number(), Type.Null()]),
});
export type ReportRow = Static<typeof ReportRow>;
