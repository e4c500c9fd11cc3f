import type { CaseStatus, RoutingDecision } from '../db/types.js';
import { OPEN311_STATUS, STATUS_LABELS } from '../cases/states.js';
import type { PublicCaseRow } from './repo.js';

// The only place that turns a case into what anyone on the internet may see: never the reporter,
// never staff names, never internal notes. Tests check this with a canary.

/** Statuses a citizen may answer with "not fixed". */
export const REOPENABLE: readonly CaseStatus[] = ['fixed', 'closed', 'no_further_action'];

/** Where the case is, blurred to about 100 m (and without the address) for services with sensitive places. */
function publicPlace(row: PublicCaseRow) {
  const blur = row.sensitive_location;
  const round = (v: number | null) => (v === null ? null : blur ? Math.round(v * 1000) / 1000 : v);
  return { lat: round(row.lat), lon: round(row.lon), approximate: blur || row.lat === null, address: blur ? null : row.address, postal_code: row.postal_code };
}

/** A case as one line of a list or a map marker. */
export function caseSummary(row: PublicCaseRow) {
  return {
    case_number: row.public_id,
    service_code: row.service_code,
    service: { sv: row.service_name_sv, en: row.service_name_en },
    status: row.status,
    status_label: STATUS_LABELS[row.status],
    open: OPEN311_STATUS[row.status] === 'open',
    requested_at: row.requested_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    ...publicPlace(row),
    excerpt: row.description.length > 140 ? `${row.description.slice(0, 139)}…` : row.description,
  };
}

/** Last moment a citizen may reopen the case, or null when it is not closed in a reopenable way. */
export function reopenUntil(row: Pick<PublicCaseRow, 'status' | 'closed_at'>, reopenDays: number): Date | null {
  if (!REOPENABLE.includes(row.status) || !row.closed_at) return null;
  return new Date(row.closed_at.getTime() + reopenDays * 86_400_000);
}

export interface TimelineEvent {
  kind: string;
  status_after: CaseStatus | null;
  body: string | null;
  created_at: Date;
  actor_org_sv: string | null;
  actor_org_en: string | null;
}

/** The whole public case page. */
export function publicCase(
  row: PublicCaseRow,
  extra: { events: TimelineEvent[]; photos: { storage_key: string; width: number | null; height: number | null }[]; reopenDays: number; duplicateOf: string | null; now: Date },
) {
  const routing = row.routing as RoutingDecision;
  const until = reopenUntil(row, extra.reopenDays);
  return {
    ...caseSummary(row),
    description: row.description,
    closed_at: row.closed_at?.toISOString() ?? null,
    sla_due_at: row.sla_due_at?.toISOString() ?? null,
    municipality: { code: row.municipality_code, name: row.municipality_name },
    organisation: { sv: row.organisation_name_sv, en: row.organisation_name_en },
    handled_because: { sv: routing.explanation_sv, en: routing.explanation_en },
    duplicate_of: extra.duplicateOf,
    photos: extra.photos.map((p) => ({ url: `/api/public/photos/${p.storage_key}`, width: p.width, height: p.height })),
    timeline: extra.events.map((e) => ({
      kind: e.kind,
      status: e.status_after,
      status_label: e.status_after ? STATUS_LABELS[e.status_after] : null,
      body: e.body,
      by: e.actor_org_sv ? { sv: e.actor_org_sv, en: e.actor_org_en } : null,
      at: e.created_at.toISOString(),
    })),
    reopen_until: until && until > extra.now ? until.toISOString() : null,
  };
}

export type PublicCase = ReturnType<typeof publicCase>;
