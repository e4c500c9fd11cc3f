import type { Kysely } from 'kysely';
import type { Static } from '@fastify/type-provider-typebox';
import type { Database } from '../db/types.js';
import { notFound } from '../shared/errors.js';
import { findNearbyOpen } from './duplicates.js';
import { assetType } from '../assets/asset-types.js';
import { slaState } from './sla.js';
import { maySeeReporter, readScopeSql, scopeSql, type CaseScope, type StaffActor } from './scope.js';
import { OPEN311_STATUS, TRANSITIONS } from './states.js';
import type { CaseDetail } from './schema.js';

const CASE_NUMBER = /^[A-Z]{2,6}-\d{4}-\d{5}$/;

/** The id of a case the scope may see, by internal id or case number; 404 otherwise (also for foreign ids). */
export async function resolveCaseRef(db: Kysely<Database>, scope: CaseScope, ref: string, field?: string): Promise<number> {
  const trimmed = ref.trim();
  let q = db.selectFrom('cases').select('id').where(readScopeSql(scope));
  if (/^\d{1,15}$/.test(trimmed)) q = q.where('id', '=', Number(trimmed));
  else if (CASE_NUMBER.test(trimmed.toUpperCase())) q = q.where('public_id', '=', trimmed.toUpperCase());
  else throw notFound(field ?? 'case', trimmed);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(field ?? 'case', trimmed);
  return row.id;
}

/**
 * Everything the case page shows, for one staff member: the case, routing explanation, timeline (with
 * merged duplicates' entries, internal ones marked), photos, reporter contact (only for roles that may see
 * it, never for contractors), allowed next states and duplicate candidates. Contractors see the public
 * timeline plus their own entries and work-order instructions.
 */
export async function caseDetail(db: Kysely<Database>, staff: StaffActor, caseId: number, now = new Date()): Promise<Static<typeof CaseDetail>> {
  const c = await db.selectFrom('cases')
    .innerJoin('services', 'services.id', 'cases.service_id')
    .innerJoin('organisations as owner', 'owner.id', 'cases.organisation_id')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .leftJoin('users as assignee', 'assignee.id', 'cases.assignee_user_id')
    .leftJoin('organisations as contractor', 'contractor.id', 'cases.contractor_organisation_id')
    .leftJoin('cases as original', 'original.id', 'cases.duplicate_of_case_id')
    .leftJoin('assets', 'assets.id', 'cases.asset_id')
    .selectAll('cases')
    .select(['services.service_code', 'services.name_sv as service_name_sv', 'services.name_en as service_name_en',
      'owner.name_sv as owner_name', 'units.name_sv as unit_name', 'assignee.display_name as assignee_name',
      'contractor.name_sv as contractor_name', 'original.public_id as original_public_id', 'assets.code as asset_code', 'assets.type as asset_type'])
    .where('cases.id', '=', caseId).where(readScopeSql(staff)).executeTakeFirst();
  if (!c) throw notFound('case', caseId);
  const isContractor = staff.role === 'contractor';
  const merged = isContractor ? [] : await db.selectFrom('cases').select(['id', 'public_id']).where('duplicate_of_case_id', '=', c.id).where(scopeSql(staff)).orderBy('id').execute();
  const caseIds = [c.id, ...merged.map((m) => m.id)];
  const publicIds = new Map([[c.id, c.public_id], ...merged.map((m) => [m.id, m.public_id] as [number, string])]);

  let eq = db.selectFrom('case_events').leftJoin('users', 'users.id', 'case_events.actor_user_id')
    .select(['case_events.id', 'case_events.case_id', 'case_events.kind', 'case_events.visibility', 'case_events.actor_label', 'users.display_name',
      'case_events.actor_organisation_id', 'case_events.body', 'case_events.status_after', 'case_events.data', 'case_events.created_at'])
    .where('case_events.case_id', 'in', caseIds);
  if (isContractor) {
    eq = eq.where((eb) => eb.or([eb('case_events.visibility', '=', 'public'), eb('case_events.actor_organisation_id', '=', staff.organisationId),
      eb('case_events.kind', '=', 'contractor_assigned')]));
  }
  const events = await eq.orderBy('case_events.created_at').orderBy('case_events.id').execute();
  const eventIds = new Set(events.map((e) => e.id));
  const attachments = (await db.selectFrom('attachments').selectAll().where('case_id', 'in', caseIds).where('disposed_at', 'is', null).orderBy('id').execute())
    .filter((a) => !isContractor || a.visibility === 'public' || (a.event_id !== null && eventIds.has(a.event_id)));

  let reporter = null;
  const reporterVisible = maySeeReporter(staff, c.organisation_id);
  if (reporterVisible && c.reporter_id !== null) {
    reporter = (await db.selectFrom('reporters').select(['name', 'email', 'phone']).where('id', '=', c.reporter_id).where('anonymised_at', 'is', null).executeTakeFirst()) ?? null;
  }
  const open = OPEN311_STATUS[c.status] === 'open';
  const candidates = !isContractor && open && c.lat !== null && c.lon !== null
    ? await findNearbyOpen(db, { lat: c.lat, lon: c.lon, service_id: c.service_id, exclude_case_id: c.id, scope: staff, now })
    : [];
  const routing = c.routing;
  return {
    case: {
      id: c.id, public_id: c.public_id, version: c.version, organisation_id: c.organisation_id, status: c.status, priority: c.priority, channel: c.channel,
      service_code: c.service_code, service_name_sv: c.service_name_sv, service_name_en: c.service_name_en, title: c.title, description: c.description,
      address: c.address, municipality_code: c.municipality_code, lat: c.lat, lon: c.lon, requested_at: c.requested_at.toISOString(),
      updated_at: c.updated_at.toISOString(), sla_due_at: c.sla_due_at?.toISOString() ?? null, sla_state: slaState(c.requested_at, c.sla_due_at, c.closed_at, now),
      unit_id: c.unit_id, assignee: c.assignee_user_id !== null ? { id: c.assignee_user_id, name: c.assignee_name ?? '' } : null,
      contractor: c.contractor_organisation_id !== null ? { id: c.contractor_organisation_id, name: c.contractor_name ?? '' } : null,
      organisation: { id: c.organisation_id, name: c.owner_name }, unit: c.unit_id !== null ? { id: c.unit_id, name: c.unit_name ?? '' } : null,
      postal_code: c.postal_code, attributes: c.attributes, closed_at: c.closed_at?.toISOString() ?? null,
      duplicate_of: c.duplicate_of_case_id !== null ? { id: c.duplicate_of_case_id, public_id: c.original_public_id ?? '' } : null,
      merged_from: merged, resolved_at_first_contact: c.resolved_at_first_contact, reopen_count: c.reopen_count, confidential: c.confidential,
      open311_status: OPEN311_STATUS[c.status],
      asset_code: c.asset_code,
      // The number on the pole or bin is what field staff look for on site.
      asset: c.asset_id !== null && c.asset_code !== null && c.asset_type !== null ? assetOf(c.asset_id, c.asset_code, c.asset_type) : null,
    },
    routing: { explanation_sv: routing.explanation_sv, explanation_en: routing.explanation_en, kind: routing.kind, reference: routing.reference, located_by: routing.located_by },
    reporter,
    reporter_visible: reporterVisible,
    allowed_transitions: isContractor ? [] : [...TRANSITIONS[c.status]],
    timeline: events.map((e) => ({
      id: e.id, case_public_id: publicIds.get(e.case_id) ?? '', kind: e.kind, visibility: e.visibility, actor: e.display_name ?? e.actor_label,
      actor_organisation_id: e.actor_organisation_id, body: e.body, status_after: e.status_after, data: e.data, created_at: e.created_at.toISOString(),
      attachment_ids: attachments.filter((a) => a.event_id === e.id).map((a) => a.id),
    })),
    attachments: attachments.map((a) => ({
      id: a.id, url: `/api/staff/attachments/${a.id}`, visibility: a.visibility, content_type: a.content_type, width: a.width, height: a.height,
      event_id: a.event_id, created_at: a.created_at.toISOString(),
    })),
    duplicate_candidates: candidates.map((d) => ({ ...d, requested_at: d.requested_at.toISOString(), in_scope: true })),
  };
}

/** An asset as the case page names it: its code and the kind's name (the type code where the kind is unknown). */
function assetOf(id: number, code: string, type: string) {
  const kind = assetType(type);
  return { id, code, type, name_sv: kind?.name_sv ?? type, name_en: kind?.name_en ?? type };
}

/** A photo of a case the scope may see (404 otherwise). */
export async function scopedAttachment(db: Kysely<Database>, staff: StaffActor, attachmentId: number) {
  const row = await db.selectFrom('attachments').innerJoin('cases', 'cases.id', 'attachments.case_id')
    .select(['attachments.storage_key', 'attachments.content_type', 'attachments.visibility', 'attachments.event_id', 'attachments.case_id'])
    .where('attachments.id', '=', attachmentId).where('attachments.disposed_at', 'is', null).where(scopeSql(staff)).executeTakeFirst();
  if (!row) throw notFound('attachment', attachmentId);
  if (staff.role === 'contractor' && row.visibility !== 'public') {
    const own = await db.selectFrom('case_events').select('id').where('id', '=', row.event_id ?? -1)
      .where((eb) => eb.or([eb('actor_organisation_id', '=', staff.organisationId), eb('kind', '=', 'contractor_assigned')])).executeTakeFirst();
    if (!own) throw notFound('attachment', attachmentId);
  }
  return row;
}

