import type { Kysely } from 'kysely';
import type { Case, Database } from '../db/types.js';
import { AppError, badInput } from '../shared/errors.js';
import { statusChange, type CaseChange, type CaseService } from './service.js';
import { actorOf, type StaffActor } from './scope.js';
import { canTransition, OPEN311_STATUS } from './states.js';
import { plainText } from './text.js';
import { insertAttachment, withStoredPhoto } from './actions.js';

/**
 * Gives a case to a contractor as a work order (or takes it back with null). A case not yet being worked
 * on moves to "action scheduled" so the reporter sees that something is planned.
 */
export async function assignContractor(
  cases: CaseService,
  staff: StaffActor,
  caseId: number,
  input: { expected_version: number; contractor_organisation_id: number | null; instructions?: string | null },
): Promise<Case> {
  const instructions = plainText('instructions', input.instructions, 4000, false);
  return cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: input.expected_version }, async (trx, kase, at) => {
    let contractorName: string | null = null;
    if (input.contractor_organisation_id !== null) {
      const org = await trx.selectFrom('organisations').select(['name_sv']).where('id', '=', input.contractor_organisation_id)
        .where('kind', '=', 'contractor').executeTakeFirst();
      if (!org) throw badInput('contractor_organisation_id', 'is not a contractor organisation', 'är ingen entreprenör');
      contractorName = org.name_sv;
    }
    const events: CaseChange['events'] = [{
      kind: 'contractor_assigned', visibility: 'internal', body: instructions,
      data: { before: kase.contractor_organisation_id, after: input.contractor_organisation_id, contractor_name: contractorName },
    }];
    let set: CaseChange['set'] = { contractor_organisation_id: input.contractor_organisation_id };
    const waiting = ['submitted', 'confirmed', 'investigating', 'reopened'].includes(kase.status);
    if (input.contractor_organisation_id !== null && waiting && canTransition(kase.status, 'action_scheduled')) {
      const scheduled = statusChange(kase, 'action_scheduled', at, null);
      set = { ...set, ...scheduled.set };
      events.push(...scheduled.events);
    }
    return { set, events };
  });
}

/**
 * The contractor reports its work order done with a note and (usually) a photo: the case becomes
 * "fixed" and waits for the handler to verify and close it (or reopen it). The photo stays internal
 * until the handler chooses to publish one.
 */
export async function reportDone(
  cases: CaseService,
  dataDir: string,
  staff: StaffActor,
  caseId: number,
  input: { expected_version: number; note: string; photo?: Buffer | null },
): Promise<Case> {
  if (staff.role !== 'contractor') {
    throw new AppError({ status: 403, code: 'forbidden_role', message: 'Only the contractor reports its work order done', message_sv: 'Bara entreprenören rapporterar sin arbetsorder klar' });
  }
  const note = plainText('note', input.note)!;
  return withStoredPhoto(dataDir, input.photo ?? null, (stored) =>
    cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: input.expected_version }, async (_trx, kase, at) => {
      if (OPEN311_STATUS[kase.status] === 'closed') {
        throw new AppError({ status: 409, code: 'already_closed', field: 'status', message: 'This work order is already done or closed', message_sv: 'Arbetsordern är redan klar eller avslutad' });
      }
      const fixed = statusChange(kase, 'fixed', at, null);
      return {
        set: fixed.set,
        events: [{ kind: 'contractor_done', visibility: 'internal', body: note, data: { photo: stored !== null } }, ...fixed.events],
        after: async (trx: Kysely<Database>, updated, appended) => {
          if (stored) await insertAttachment(trx, updated, appended[0].id, stored, 'internal');
        },
      };
    }));
}
