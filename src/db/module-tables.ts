import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from './types.js';

/** Kysely types of the tables that module migrations (0002 and later) add; `Database` in types.ts lists them. */
export type OutboxStatus = 'pending' | 'delivered' | 'dead';
export interface OutboxTable {
  id: Generated<number>;
  organisation_id: number | null;
  kind: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  dedupe_key: string | null;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

/** A named set of queue filters (migration 0200). */
export interface SavedViewsTable {
  id: Generated<number>;
  organisation_id: number;
  user_id: number;
  name: string;
  filters: ColumnType<Record<string, unknown>, string, string>;
  shared: Generated<boolean>;
  created_at: CreatedAt;
}
/** Someone who gets the public updates of a case by e-mail (migration 0400). */
export interface CaseFollowersTable {
  id: Generated<number>;
  case_id: number;
  organisation_id: number;
  email: string;
  /** Language of the e-mails (migration 0400). */
  locale: Generated<string>;
  token: string;
  created_at: CreatedAt;
  unsubscribed_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  chain: number;
  seq: number;
  occurred_at: Date;
  actor_user_id: number | null;
  actor_label: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

/** The last entry of each audit chain; its row lock orders concurrent appenders. */
export interface AuditChainHeadsTable { chain: number; seq: number; hash: string }

/** Changes with every write to the reference tables (see src/shared/reference-cache.ts). */
export interface ReferenceVersionTable { id: Generated<boolean>; version: string }

export interface RetentionPoliciesTable {
  id: Generated<number>;
  organisation_id: number | null;
  retention_class: string;
  anonymise_after_days: number;
  dispose_photos_after_days: number;
  decision_reference: string;
}
export interface DisposalRecordsTable {
  id: Generated<number>;
  case_id: number;
  organisation_id: number;
  disposed_at: Date;
  what: 'reporter_data' | 'photos';
  items: number;
  decision_reference: string;
}

/** A rate-limit window shared by all app processes (migration 0800). */
export interface RateLimitsTable { key: string; count: number; window_ends_at: Date }

/** Cases per organisation and state as rows to be summed (migration 0820, src/cases/counts.ts). */
export interface CaseStatusCountsTable { organisation_id: number; status: string; n: number }


/** Cases counted by municipality × month × service × channel (src/statistics, migration 0500). */
export interface StatsMonthlyTable {
  municipality_code: string;
  month: string;
  service_id: number;
  channel: string;
  cases: number;
  closed: number;
  sla_due: number;
  sla_met: number;
  first_contact: number;
  reopened: number;
}

/** Log-scale histogram of times to close by municipality × month × service (src/statistics). */
export interface StatsCloseHistTable {
  municipality_code: string;
  month: string;
  service_id: number;
  bucket: number;
  n: number;
}

/** (municipality, month) groups whose statistics must be recomputed; filled by triggers on cases. */
export interface StatsDirtyTable {
  municipality_code: string;
  month: string;
}

/** An operational alarm of a source system and the one case it opened (src/alarms, migration 0700). */
export interface AlarmsTable {
  id: Generated<number>;
  organisation_id: number;
  source: string;
  source_alarm_id: string;
  case_id: number;
  asset_id: number | null;
  api_key_id: number | null;
  alarm_type: string;
  severity: 'critical' | 'major' | 'minor' | 'warning';
  state: 'raised' | 'cleared';
  messages: Generated<number>;
  first_received_at: Timestamp;
  last_received_at: Timestamp;
  cleared_at: Timestamp | null;
}
/** Per organisation: whether a "cleared" alarm marks its case fixed (src/alarms). */
export interface AlarmSettingsTable {
  organisation_id: number;
  clear_sets_fixed: Generated<boolean>;
  updated_at: Generated<Date>;
}

/** A case forwarded to another system by Open311 (src/open311/forward.ts). */
export interface Open311ForwardsTable {
  case_id: number;
  organisation_id: number;
  responsibility_id: number;
  endpoint: string;
  jurisdiction_id: string | null;
  remote_service_request_id: string | null;
  remote_token: string | null;
  state: Generated<'pending' | 'sent' | 'failed'>;
  last_error: string | null;
  sent_at: Timestamp | null;
  last_polled_at: Timestamp | null;
  created_at: CreatedAt;
}

/** The stored answer to a request sent with an Idempotency-Key, so a repeat gets the same answer (migration 0400). */
export interface IdempotencyKeysTable {
  key: string;
  route: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  /** Migration 0900: what the key was first used for, which attempt holds it, the case it made. */
  request_hash: string | null;
  claim_token: string | null;
  claimed_at: ColumnType<Date, Date | undefined, Date>;
  case_id: number | null;
}

/** An organisation that keeps seeing a case it forwarded or that was re-routed away from it (migration 0300). */
export interface CaseAccessTable {
  case_id: number;
  organisation_id: number;
  reason: 'forwarded' | 'rerouted';
  event_id: number | null;
  granted_at: Generated<Date>;
}
/** The audit trail of agreements (responsibilities): who changed what (migration 0300). */
export interface ResponsibilityChangesTable {
  id: Generated<number>;
  responsibility_id: number;
  action: 'created' | 'updated' | 'ended';
  user_id: number | null;
  organisation_id: number | null;
  before: ColumnType<Record<string, unknown> | null, string | null, never>;
  after: ColumnType<Record<string, unknown>, string, never>;
  changed_at: Generated<Date>;
}

/** A blocked source of reports (migration 0900): its reports are stored hidden and nothing is sent. */
export interface AbuseListTable {
  id: Generated<number>;
  /** null: blocked for every organisation (platform operator). */
  organisation_id: number | null;
  kind: 'email' | 'phone' | 'device' | 'ip';
  value: string;
  reason: Generated<string>;
  created_by: number | null;
  created_at: CreatedAt;
}
