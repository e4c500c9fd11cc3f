import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Case, Database } from '../db/types.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { lockCase } from './repo.js';
import { statusChange, type CaseService } from './service.js';
import { actorOf, type StaffActor } from './scope.js';
import { OPEN311_STATUS } from './states.js';
import { plainText } from './text.js';

/**
 * Moves the followers of one case to another, and makes the duplicate's reporter a follower too, so
 * that everyone who reported the same thing hears about the case that goes on. No one is added twice.
 */
async function moveFollowers(trx: Kysely<Database>, from: Case, to: Case): Promise<number> {
  // Every row of the target counts, unsubscribed ones too: one row per case and e-mail, and an
  // unsubscription is respected.
  const existing = new Set((await trx.selectFrom('case_followers').select('email').where('case_id', '=', to.id)
    .execute()).map((r) => r.email.toLowerCase()));
  const moving = await trx.selectFrom('case_followers').select(['id', 'email']).where('case_id', '=', from.id)
    .where('unsubscribed_at', 'is', null).execute();
  let moved = 0;
  for (const f of moving) {
    if (existing.has(f.email.toLowerCase())) continue;
    await trx.updateTable('case_followers').set({ case_id: to.id, organisation_id: to.organisation_id }).where('id', '=', f.id).execute();
    existing.add(f.email.toLowerCase());
    moved++;
  }
  if (from.reporter_id !== null) {
    const reporter = await trx.selectFrom('reporters').select(['email', 'locale']).where('id', '=', from.reporter_id).executeTakeFirst();
    if (reporter?.email && !existing.has(reporter.email.toLowerCase())) {
      await trx.insertInto('case_followers').values({
        case_id: to.id, organisation_id: to.organisation_id, email: reporter.email.toLowerCase(), locale: reporter.locale,
        token: crypto.randomBytes(18).toString('base64url'),
      }).execute();
      moved++;
    }
  }
  return moved;
}

/**
 * Merges a duplicate into the case that goes on, in one transaction: the duplicate is closed as
 * "duplicate" with a public note pointing to the other case, its followers (and reporter) follow the
 * other case from now on, and both timelines stay whole (the case page shows the merged ones together).
 */
export async function mergeCases(
  db: Kysely<Database>,
  cases: CaseService,
  staff: StaffActor,
  duplicateId: number,
  input: { into_case_id: number; expected_version: number; public_note?: string | null },
): Promise<{ duplicate: Case; target: Case }> {
  if (input.into_case_id === duplicateId) throw badInput('into_case_id', 'a case cannot be merged into itself', 'ett ärende kan inte slås ihop med sig självt');
  const note = plainText('public_note', input.public_note, 4000, false);
  return db.transaction().execute(async (trx) => {
    // Both rows are locked in id order, so two merges of the same pair cannot deadlock.
    for (const id of [duplicateId, input.into_case_id].sort((a, b) => a - b)) {
      if (!(await lockCase(trx, id, staff))) throw id === duplicateId ? notFound('case', id) : badInput('into_case_id', 'no such case in your organisation', 'inget sådant ärende i din organisation', 'not_found');
    }
    const opts = { scope: staff, actor: actorOf(staff) };
    const target = await trx.selectFrom('cases').selectAll().where('id', '=', input.into_case_id).executeTakeFirstOrThrow();
    if (OPEN311_STATUS[target.status] === 'closed') {
      throw new AppError({ status: 409, code: 'target_closed', field: 'into_case_id',
        message: `into_case_id: ${target.public_id} is closed; reopen it first or merge the other way`,
        message_sv: `into_case_id: ${target.public_id} är avslutat; öppna det igen eller slå ihop åt andra hållet` });
    }
    const duplicate = await cases.mutateIn(trx, duplicateId, { ...opts, expectedVersion: input.expected_version }, async (_t, kase, at) => {
      const change = statusChange(kase, 'duplicate', at,
        note ?? `Samma sak har redan anmälts i ärende ${target.public_id}. Vi fortsätter arbetet där. / This was already reported as ${target.public_id}; we carry on there.`);
      change.events[0].data = { ...change.events[0].data, merged_into: target.public_id, merged_into_case_id: target.id };
      return { ...change, set: { ...change.set, duplicate_of_case_id: target.id } };
    });
    const merged = await cases.mutateIn(trx, target.id, opts, async (t) => {
      const followersMoved = await moveFollowers(t, duplicate, target);
      return { events: [{ kind: 'merged', visibility: 'internal', body: duplicate.public_id,
        data: { merged_case_id: duplicate.id, merged_public_id: duplicate.public_id, followers_moved: followersMoved } }] };
    });
    return { duplicate, target: merged };
  });
}
