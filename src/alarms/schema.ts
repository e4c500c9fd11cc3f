import { Type, type Static } from '@fastify/type-provider-typebox';

export const Severity = Type.Union([Type.Literal('critical'), Type.Literal('major'), Type.Literal('minor'), Type.Literal('warning')]);

export const AlarmBody = Type.Object({
  alarm_id: Type.String({ minLength: 1, maxLength: 200, description: "the source system's id of this alarm; repeats with the same id update one case" }),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$', description: 'name of the source system (alarm ids are unique per source); default "default"' })),
  state: Type.Optional(Type.Union([Type.Literal('raised'), Type.Literal('cleared')], { description: 'default raised' })),
  severity: Severity,
  alarm_type: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. pump_failure, high_level, power_loss, lamp_out' }),
  asset_code: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'code of an asset of the key\'s organisation' })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  service_code: Type.Optional(Type.String({ maxLength: 60, description: "the case's category; default from the asset type, else required" })),
  attributes: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
  occurred_at: Type.Optional(Type.String({ format: 'date-time', description: 'when the source saw it (ISO 8601 with zone); default now' })),
  text: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type AlarmInput = Static<typeof AlarmBody>;

export const AlarmReply = Type.Object({
  case_id: Type.Integer(),
  service_request_id: Type.String({ description: 'the case number' }),
  case_status: Type.String(),
  alarm_state: Type.Union([Type.Literal('raised'), Type.Literal('cleared')]),
  messages: Type.Integer({ description: 'messages received for this alarm id' }),
  created: Type.Boolean({ description: 'true when this message opened the case' }),
});
