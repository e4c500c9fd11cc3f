import type { Kysely } from 'kysely';
import type { Case, CaseStatus, Database, Visibility } from '../db/types.js';
import { findServiceById } from '../catalogue/repo.js';
import { removeStored, storeImage } from '../attachments/store.js';
import { AppError, badInput } from '../shared/errors.js';
import { dueAtFor, statusChange, type CaseService } from './service.js';
import { actorOf, HANDLER_ROLES, type StaffActor } from './scope.js';
import { plainText } from './text.js';

/** A photo as uploaded, before it is checked and re-encoded. */
export interface PhotoUpload {
  data: Buffer;
  visibility: Visibility;
}

function forbidden(): AppError {
  return new AppError({ status: 403, code: 'forbidden_role', message: 'Your role may not do this', message_sv: 'Din roll får inte göra detta' });
}

/** Stores a photo file, runs `work` and removes the file again if `work` fails (nothing half-stored). */
export async function withStoredPhoto<T>(dataDir: string, photo: Buffer | null, work: (stored: Awaited<ReturnType<typeof storeImage>> | null) => Promise<T>): Promise<T> {
  const stored = photo ? await storeImage(dataDir, photo) : null;
  try {
    return await work(stored);
  } catch (error) {
    if (stored) await removeStored(dataDir, stored.storage_key);
    throw error;
  }
}

/** Records a stored photo on a case, linked to the event that brought it. */
export async function insertAttachment(trx: Kysely<Database>, kase: Case, eventId: number, stored: Awaited<ReturnType<typeof storeImage>>, visibility: Visibility): Promise<void> {
  await trx.insertInto('attachments').values({
    case_id: kase.id, organisation_id: kase.organisation_id, event_id: eventId, storage_key: stored.storage_key,
    content_type: stored.content_type, bytes: stored.bytes, width: stored.width, height: stored.height, visibility,
  }).execute();
}

/**
 * What staff do to a case from the case page: assign, change state, priority, notes, public updates and
 * photos. Each is one CaseService.mutate: scoped lock, version check, event with before/after.
 */
export class CaseActions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cases: CaseService,
    private readonly dataDir: string,
  ) {}

  /** Sets the unit and/or the person responsible; both must belong to the case's organisation. */
  async assign(staff: StaffActor, caseId: number, input: { expected_version: number; unit_id?: number | null; assignee_user_id?: number | null }): Promise<Case> {
    return this.cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: input.expected_version }, async (trx, kase) => {
      const unitId = input.unit_id === undefined ? kase.unit_id : input.unit_id;
      const assigneeId = input.assignee_user_id === undefined ? kase.assignee_user_id : input.assignee_user_id;
      if (unitId !== null) {
        const unit = await trx.selectFrom('units').select('id').where('id', '=', unitId).where('organisation_id', '=', kase.organisation_id).executeTakeFirst();
        if (!unit) throw badInput('unit_id', 'is not a unit of the organisation responsible for this case', 'är ingen enhet i den ansvariga organisationen');
      }
      let assigneeName: string | null = null;
      if (assigneeId !== null) {
        const member = await trx.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
          .select(['users.display_name']).where('memberships.user_id', '=', assigneeId)
          .where('memberships.organisation_id', '=', kase.organisation_id).where('memberships.role', '!=', 'contractor')
          .executeTakeFirst();
        if (!member) throw badInput('assignee_user_id', 'is not a member of the organisation responsible for this case', 'är inte medlem i den ansvariga organisationen');
        assigneeName = member.display_name;
      }
      return {
        set: { unit_id: unitId, assignee_user_id: assigneeId },
        events: [{ kind: 'assigned', visibility: 'internal', body: assigneeName,
          data: { before: { unit_id: kase.unit_id, assignee_user_id: kase.assignee_user_id }, after: { unit_id: unitId, assignee_user_id: assigneeId } } }],
      };
    });
  }

  /** Moves the case to another state (transition table), with an optional public note. */
  async changeState(staff: StaffActor, caseId: number, input: { expected_version: number; status: CaseStatus; public_note?: string | null }): Promise<Case> {
    const note = plainText('public_note', input.public_note, 4000, false);
    return this.cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: input.expected_version },
      async (_trx, kase, at) => statusChange(kase, input.status, at, note));
  }

  /** Changes the priority and recomputes the SLA due time from when the case was requested. */
  async setPriority(staff: StaffActor, caseId: number, input: { expected_version: number; priority: 1 | 2 | 3 }): Promise<Case> {
    return this.cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: input.expected_version }, async (trx, kase) => {
      const service = await findServiceById(trx, kase.service_id);
      const due = service ? dueAtFor(service.sla_tiers, input.priority, kase.requested_at) : null;
      return {
        set: { priority: input.priority, sla_due_at: due },
        events: [{ kind: 'priority_changed', visibility: 'internal', body: null,
          data: { before: { priority: kase.priority, sla_due_at: kase.sla_due_at?.toISOString() ?? null }, after: { priority: input.priority, sla_due_at: due?.toISOString() ?? null } } }],
      };
    });
  }

  /**
   * An internal note (staff of the responsible body, and the contractor for its own notes) or a public
   * update (reaches the reporter and followers through the outbox). Contractors write internal notes only.
   */
  async addNote(staff: StaffActor, caseId: number, input: { body: string; visibility: Visibility; expected_version?: number }): Promise<Case> {
    if (input.visibility === 'public' && !HANDLER_ROLES.includes(staff.role)) throw forbidden();
    const body = plainText('body', input.body)!;
    return this.cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: input.expected_version }, async () => ({
      events: [{ kind: input.visibility === 'public' ? 'public_update' : 'internal_note', visibility: input.visibility, body, data: {} }],
    }));
  }

  /** Adds a photo (internal or public) with an optional caption. */
  async addPhoto(staff: StaffActor, caseId: number, input: PhotoUpload & { caption?: string | null; expected_version?: number }): Promise<Case> {
    if (input.visibility === 'public' && !HANDLER_ROLES.includes(staff.role)) throw forbidden();
    const caption = plainText('caption', input.caption, 500, false);
    return withStoredPhoto(this.dataDir, input.data, (stored) =>
      this.cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: input.expected_version }, async () => ({
        events: [{ kind: 'photo_added', visibility: input.visibility, body: caption, data: { bytes: stored!.bytes } }],
        after: (trx, updated, events) => insertAttachment(trx, updated, events[0].id, stored!, input.visibility),
      })));
  }
}
