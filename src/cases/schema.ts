import { Type, type Static } from '@fastify/type-provider-typebox';
import { ALL_STATUSES } from './states.js';

// The staff case API's contract: one schema gives validation, the TypeScript types and the OpenAPI docs.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const Status = Type.Enum(ALL_STATUSES);
export const ChannelSchema = Type.Enum(['web', 'app', 'open311', 'phone', 'email', 'visit', 'alarm', 'import', 'staff']);
export const SortSchema = Type.Enum(['requested_desc', 'requested_asc', 'updated_desc', 'due_asc', 'priority']);
export const SlaFilter = Type.Enum(['ok', 'at_risk', 'breached', 'none']);
export const Priority = Type.Integer({ minimum: 1, maximum: 3 });
export const VisibilitySchema = Type.Enum(['internal', 'public']);

/** Queue filters; arrays are given by repeating the parameter (`?status=submitted&status=confirmed`). */
export const QueueFilters = Type.Object({
  status: Type.Optional(Type.Array(Status, { description: 'Only these states' })),
  open: Type.Optional(Type.Boolean({ description: 'true: only open states; false: only closed' })),
  service: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { description: 'service codes' })),
  municipality: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{4}$' }), { description: 'kommunkod of the place' })),
  unit_id: Type.Optional(Type.Integer()),
  priority: Type.Optional(Type.Array(Priority)),
  sla: Type.Optional(SlaFilter),
  assignee: Type.Optional(Type.String({ pattern: '^(me|none|[0-9]+)$', description: '"me", "none" or a user id' })),
  contractor: Type.Optional(Type.String({ pattern: '^(any|none|[0-9]+)$', description: '"any", "none" or an organisation id' })),
  channel: Type.Optional(Type.Array(ChannelSchema)),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'case number or words in the description/address' })),
});
export type QueueFiltersT = Static<typeof QueueFilters>;

export const QueueQuery = Type.Object({
  ...QueueFilters.properties,
  sort: Type.Optional(SortSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 400, description: 'next_cursor of the previous page' })),
});
export type QueueQueryT = Static<typeof QueueQuery>;

export const Person = Type.Object({ id: Type.Integer(), name: Type.String() });

export const QueueItem = Type.Object({
  id: Type.Integer(),
  public_id: Type.String(),
  version: Type.Integer(),
  organisation_id: Type.Integer(),
  status: Status,
  priority: Type.Integer(),
  channel: Type.String(),
  service_code: Type.String(),
  service_name_sv: Type.String(),
  service_name_en: Type.String(),
  title: Nullable(Type.String()),
  description: Type.String(),
  address: Nullable(Type.String()),
  municipality_code: Type.String(),
  lat: Nullable(Type.Number()),
  lon: Nullable(Type.Number()),
  requested_at: DateTime,
  updated_at: DateTime,
  sla_due_at: Nullable(DateTime),
  sla_state: Type.String({ description: 'none | ok | at_risk | breached | met' }),
  unit_id: Nullable(Type.Integer()),
  assignee: Nullable(Person),
  contractor: Nullable(Person),
  asset_code: Nullable(Type.String({ description: 'the number on the asset the case is about (pole, bin…), what field staff look for on site' })),
});
export type QueueItemT = Static<typeof QueueItem>;

export const QueueResponse = Type.Object({
  items: Type.Array(QueueItem),
  next_cursor: Nullable(Type.String()),
  total: Type.Integer({ description: 'cases matching the filters' }),
  counts: Type.Object({
    by_status: Type.Record(Type.String(), Type.Integer(), { description: 'per state, with every filter except the state filters' }),
    at_risk: Type.Integer(),
    breached: Type.Integer(),
  }),
});

export const MapResponse = Type.Object({
  points: Type.Array(Type.Object({ id: Type.Integer(), public_id: Type.String(), status: Status, priority: Type.Integer(), service_code: Type.String(), lat: Type.Number(), lon: Type.Number() })),
  truncated: Type.Boolean(),
});

export const SavedView = Type.Object({ id: Type.Integer(), name: Type.String(), filters: QueueQuery, shared: Type.Boolean(), mine: Type.Boolean() });
export const SavedViewBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), filters: QueueQuery, shared: Type.Optional(Type.Boolean()) });

export const CaseRef = Type.Object({ ref: Type.String({ maxLength: 40, description: 'internal id or case number (KGS-2026-00001)' }) });

export const TimelineEntry = Type.Object({
  id: Type.Integer(),
  case_public_id: Type.String({ description: 'differs from the case when the entry comes from a merged duplicate' }),
  kind: Type.String(),
  visibility: VisibilitySchema,
  actor: Nullable(Type.String()),
  actor_organisation_id: Nullable(Type.Integer()),
  body: Nullable(Type.String()),
  status_after: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  created_at: DateTime,
  attachment_ids: Type.Array(Type.Integer()),
});

export const AttachmentInfo = Type.Object({
  id: Type.Integer(), url: Type.String(), visibility: VisibilitySchema, content_type: Type.String(),
  width: Nullable(Type.Integer()), height: Nullable(Type.Integer()), event_id: Nullable(Type.Integer()), created_at: DateTime,
});

export const NearbyItem = Type.Object({
  id: Type.Integer(), public_id: Type.String(), status: Status, service_code: Type.String(), service_name_sv: Type.String(), service_name_en: Type.String(),
  description: Type.String(), address: Nullable(Type.String()), lat: Type.Number(), lon: Type.Number(), requested_at: DateTime, distance_m: Type.Integer(),
  in_scope: Type.Boolean({ description: 'the active organisation may open this case' }),
});

export const CaseDetail = Type.Object({
  case: Type.Object({
    ...QueueItem.properties,
    organisation: Person,
    unit: Nullable(Person),
    postal_code: Nullable(Type.String()),
    attributes: Type.Record(Type.String(), Type.Unknown()),
    closed_at: Nullable(DateTime),
    duplicate_of: Nullable(Type.Object({ id: Type.Integer(), public_id: Type.String() })),
    merged_from: Type.Array(Type.Object({ id: Type.Integer(), public_id: Type.String() })),
    resolved_at_first_contact: Type.Boolean(),
    reopen_count: Type.Integer(),
    confidential: Type.Boolean(),
    open311_status: Type.String(),
    asset: Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), type: Type.String(), name_sv: Type.String(), name_en: Type.String() },
      { description: 'the asset (street light, bin, pump station…) the case is about' })),
  }),
  routing: Type.Object({ explanation_sv: Type.String(), explanation_en: Type.String(), kind: Type.String(), reference: Nullable(Type.String()), located_by: Type.String() }),
  reporter: Nullable(Type.Object({ name: Nullable(Type.String()), email: Nullable(Type.String()), phone: Nullable(Type.String()) })),
  reporter_visible: Type.Boolean({ description: 'false when your role or organisation may not see the reporter (the reporter may exist)' }),
  allowed_transitions: Type.Array(Status),
  timeline: Type.Array(TimelineEntry),
  attachments: Type.Array(AttachmentInfo),
  duplicate_candidates: Type.Array(NearbyItem),
});

const Expected = { expected_version: Type.Integer({ minimum: 1, description: 'the version you saw; 409 stale_version if someone changed the case since' }) };
export const AssignBody = Type.Object({ ...Expected, unit_id: Type.Optional(Nullable(Type.Integer())), assignee_user_id: Type.Optional(Nullable(Type.Integer())) });
export const StatusBody = Type.Object({ ...Expected, status: Status, public_note: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))) });
export const PriorityBody = Type.Object({ ...Expected, priority: Priority });
export const NoteBody = Type.Object({ body: Type.String({ maxLength: 4000 }), visibility: VisibilitySchema, expected_version: Type.Optional(Expected.expected_version) });
export const MergeBody = Type.Object({ ...Expected, into: Type.String({ maxLength: 40, description: 'id or case number of the case that goes on' }), public_note: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))) });
export const ContractorBody = Type.Object({ ...Expected, contractor_organisation_id: Nullable(Type.Integer()), instructions: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))) });

/** What every action returns: the changed case's new version and state (reload the page for the rest). */
export const ActionResult = Type.Object({ id: Type.Integer(), public_id: Type.String(), version: Type.Integer(), status: Status });
