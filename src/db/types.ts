import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  AbuseListTable, AlarmSettingsTable, AlarmsTable, AuditChainHeadsTable, AuditLogTable, CaseAccessTable, CaseFollowersTable, CaseStatusCountsTable, DisposalRecordsTable,
  ReferenceVersionTable,
  IdempotencyKeysTable, Open311ForwardsTable, OutboxTable, RateLimitsTable, ResponsibilityChangesTable, RetentionPoliciesTable,
  SavedViewsTable, StatsCloseHistTable, StatsDirtyTable, StatsMonthlyTable,
} from './module-tables.js';

/** Kysely types of the data model created by the migrations; keep in step with them. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Json<T> = ColumnType<T, string | T, string | T>;

export type OrganisationKind = 'municipality' | 'joint_service' | 'state_agency' | 'contractor' | 'region';
export type Role = 'agent' | 'handler' | 'supervisor' | 'admin' | 'contractor';
export type AreaKind = 'municipality' | 'district' | 'road_corridor' | 'custom';
export type ResponsibilityKind = 'own' | 'agreement' | 'state' | 'contract';
export type CaseStatus =
  | 'submitted'
  | 'confirmed'
  | 'investigating'
  | 'in_progress'
  | 'action_scheduled'
  | 'fixed'
  | 'closed'
  | 'duplicate'
  | 'forwarded'
  | 'no_further_action'
  | 'reopened';
export type Channel = 'web' | 'app' | 'open311' | 'phone' | 'email' | 'visit' | 'alarm' | 'import' | 'staff';
export type Visibility = 'public' | 'internal';

/** An Open311 attribute definition as stored on a service. */
export interface ServiceAttribute {
  code: string;
  variable: boolean;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description_sv: string;
  description_en: string;
  values?: { key: string; name_sv: string; name_en: string }[];
}

/** An SLA tier: how long a case of that priority may take. */
export interface SlaTier {
  amount: number;
  unit: 'hours' | 'working_days' | 'days';
}
export type SlaTiers = Partial<Record<'1' | '2' | '3', SlaTier>>;

/** What routing decided for a case and why, in words staff can read. */
export interface RoutingDecision {
  responsibility_id: number | null;
  provider_organisation_id: number;
  unit_id: number | null;
  area_id: number | null;
  area_kind: AreaKind | null;
  municipality_code: string;
  located_by: 'point' | 'postal_code' | 'municipality' | 'asset' | 'manual';
  kind: ResponsibilityKind | 'manual';
  reference: string | null;
  explanation_sv: string;
  explanation_en: string;
  decided_at: string;
}

export interface GeoJsonPolygonal {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: number[][][] | number[][][][];
}

export interface CountiesTable { code: string; name: string; name_short: string }
export interface MunicipalitiesTable {
  code: string;
  name: string;
  name_short: string;
  county_code: string;
  population_2016: number | null;
  land_area_km2: number | null;
}
export interface PostalCodesTable { postal_code: string; locality: string; municipality_code: string }
export interface OrganisationsTable {
  id: Generated<number>;
  slug: string;
  kind: OrganisationKind;
  name_sv: string;
  name_en: string;
  case_prefix: string;
  municipality_code: string | null;
  host_organisation_id: number | null;
  contact_email: string | null;
  contact_phone: string | null;
  website: string | null;
  created_at: CreatedAt;
}
export interface UnitsTable {
  id: Generated<number>;
  organisation_id: number;
  name_sv: string;
  name_en: string;
  is_default: Generated<boolean>;
}
export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  password_hash: string | null;
  locale: Generated<'sv' | 'en'>;
  created_at: CreatedAt;
  disabled_at: Timestamp | null;
}
export interface MembershipsTable { user_id: number; organisation_id: number; role: Role; unit_id: number | null }
export interface AreasTable {
  id: Generated<number>;
  kind: AreaKind;
  code: string;
  name: string;
  municipality_code: string | null;
  geometry: Json<GeoJsonPolygonal>;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  updated_at: Generated<Date>;
  /** Who drew the area (migration 0300); null for reference data. */
  owner_organisation_id: ColumnType<number | null, number | null | undefined, number | null>;
}
export interface ServiceGroupsTable { code: string; name_sv: string; name_en: string; sort_order: Generated<number> }
export interface ServicesTable {
  id: Generated<number>;
  service_code: string;
  group_code: string;
  name_sv: string;
  name_en: string;
  description_sv: Generated<string>;
  description_en: Generated<string>;
  keywords_sv: Generated<string[]>;
  keywords_en: Generated<string[]>;
  attributes: ColumnType<ServiceAttribute[], string | undefined, string>;
  default_priority: Generated<number>;
  sla_tiers: ColumnType<SlaTiers, string | undefined, string>;
  retention_class: Generated<string>;
  sensitive_location: Generated<boolean>;
  knowledge_sv: Generated<string>;
  knowledge_en: Generated<string>;
  active: Generated<boolean>;
  sort_order: Generated<number>;
}
export interface Open311Forward { endpoint: string; jurisdiction_id: string | null; api_key: string; service_code?: string; /** ms before a call is given up (default 30 s) */ timeout_ms?: number }
export interface ResponsibilitiesTable {
  id: Generated<number>;
  provider_organisation_id: number;
  kind: ResponsibilityKind;
  reference: string | null;
  title: Generated<string>;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  all_services: Generated<boolean>;
  receiving_unit_id: number | null;
  open311_forward: ColumnType<Open311Forward | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}
export interface ResponsibilityAreasTable { responsibility_id: number; area_id: number }
export interface ResponsibilityServicesTable {
  id: Generated<number>;
  responsibility_id: number;
  service_id: number | null;
  group_code: string | null;
}
export interface ReportersTable {
  id: Generated<number>;
  organisation_id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
  device_id: string | null;
  account_id: string | null;
  locale: Generated<string>;
  created_at: CreatedAt;
  anonymised_at: Timestamp | null;
}
export interface AssetsTable {
  id: Generated<number>;
  organisation_id: number;
  responsible_organisation_id: number;
  type: string;
  code: string;
  name: Generated<string>;
  lat: number;
  lon: number;
  geometry: ColumnType<unknown, string | null | undefined, string | null>;
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>;
  state: Generated<'in_use' | 'out_of_use'>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}
export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  key_prefix: string;
  key_hash: string;
  organisation_id: number | null;
  rate_limit_per_minute: Generated<number>;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}
export interface CaseNumberCountersTable { prefix: string; year: number; last_number: number }
export interface CasesTable {
  id: Generated<number>;
  public_id: string;
  organisation_id: number;
  unit_id: number | null;
  assignee_user_id: number | null;
  contractor_organisation_id: number | null;
  municipality_code: string;
  service_id: number;
  status: CaseStatus;
  priority: number;
  channel: Channel;
  title: string | null;
  description: Generated<string>;
  lat: number | null;
  lon: number | null;
  address: string | null;
  postal_code: string | null;
  asset_id: number | null;
  attributes: ColumnType<Record<string, string | string[]>, string | undefined, string>;
  media_url: string | null;
  responsibility_id: number | null;
  routing: ColumnType<RoutingDecision, string, string>;
  reporter_id: number | null;
  confidential: Generated<boolean>;
  sla_due_at: Timestamp | null;
  requested_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
  version: Generated<number>;
  duplicate_of_case_id: number | null;
  external_source: string | null;
  external_id: string | null;
  api_key_id: number | null;
  follow_token: string;
  resolved_at_first_contact: Generated<boolean>;
  reopen_count: Generated<number>;
  as_received: ColumnType<Record<string, unknown>, string, never>;
  legal_hold: Generated<boolean>;
  legal_hold_reason: string | null;
  /** Set when the report came from a blocked source (abuse list, migration 0900): kept, never shown or sent. */
  abuse_hidden_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}
export interface CaseEventsTable {
  id: Generated<number>;
  case_id: number;
  organisation_id: number;
  kind: string;
  visibility: Visibility;
  actor_user_id: number | null;
  actor_organisation_id: number | null;
  actor_label: string | null;
  body: string | null;
  status_after: CaseStatus | null;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
  external_update_id: string | null;
  created_at: Timestamp;
}
export interface AttachmentsTable {
  id: Generated<number>;
  case_id: number;
  organisation_id: number;
  event_id: number | null;
  storage_key: string;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp';
  bytes: number;
  width: number | null;
  height: number | null;
  visibility: Generated<Visibility>;
  created_at: CreatedAt;
  disposed_at: Timestamp | null;
}
export interface SessionsTable {
  id_hash: string;
  user_id: number;
  active_organisation_id: number | null;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Generated<Date>;
}
export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

/** Every table; other modules add theirs here beside their migration. */
export interface Database {
  rate_limits: RateLimitsTable;
  case_status_counts: CaseStatusCountsTable;
  stats_monthly: StatsMonthlyTable;
  stats_close_hist: StatsCloseHistTable;
  stats_dirty: StatsDirtyTable;
  counties: CountiesTable;
  municipalities: MunicipalitiesTable;
  postal_codes: PostalCodesTable;
  organisations: OrganisationsTable;
  units: UnitsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  areas: AreasTable;
  service_groups: ServiceGroupsTable;
  services: ServicesTable;
  responsibilities: ResponsibilitiesTable;
  responsibility_areas: ResponsibilityAreasTable;
  responsibility_services: ResponsibilityServicesTable;
  reporters: ReportersTable;
  assets: AssetsTable;
  alarms: AlarmsTable;
  alarm_settings: AlarmSettingsTable;
  api_keys: ApiKeysTable;
  case_number_counters: CaseNumberCountersTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  attachments: AttachmentsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  settings: SettingsTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  audit_chain_heads: AuditChainHeadsTable;
  reference_version: ReferenceVersionTable;
  retention_policies: RetentionPoliciesTable;
  disposal_records: DisposalRecordsTable;
  open311_forwards: Open311ForwardsTable;
  saved_views: SavedViewsTable;
  case_followers: CaseFollowersTable;
  idempotency_keys: IdempotencyKeysTable;
  case_access: CaseAccessTable;
  responsibility_changes: ResponsibilityChangesTable;
  abuse_list: AbuseListTable;
}

export type Organisation = Selectable<OrganisationsTable>;
export type Service = Selectable<ServicesTable>;
export type Area = Selectable<AreasTable>;
export type Case = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type CaseEvent = Selectable<CaseEventsTable>;
export type User = Selectable<UsersTable>;

export * from './module-tables.js';
