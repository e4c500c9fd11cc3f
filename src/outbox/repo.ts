import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';

/** A message claimed for delivery. */
export interface ClaimedMessage {
  id: number;
  organisation_id: number | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

/**
 * Claims up to `limit` due messages for `leaseSeconds`. SKIP LOCKED lets several workers (and processes)
 * claim disjoint sets; the lease makes a message claimed by a killed worker due again later.
 */
export async function claimDue(db: Kysely<Database>, limit: number, leaseSeconds: number): Promise<ClaimedMessage[]> {
  const result = await sql<ClaimedMessage>`
    update outbox set locked_until = now() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
    where id in (
      select id from outbox
      where status = 'pending' and next_attempt_at <= now() and (locked_until is null or locked_until < now())
      order by next_attempt_at, id
      limit ${limit}
      for update skip locked)
    returning id, organisation_id, kind, payload, attempts, created_at
  `.execute(db);
  return result.rows;
}

/** Marks claimed messages delivered. */
export async function markDelivered(db: Kysely<Database>, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('outbox').set({ status: 'delivered', delivered_at: new Date(), locked_until: null, last_error: null }).where('id', 'in', ids).execute();
}

/** Records a failed attempt: due again after `retryInSeconds`, or dead when out of attempts. */
export async function markFailed(db: Kysely<Database>, id: number, error: string, retryInSeconds: number | null): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: retryInSeconds === null ? 'dead' : 'pending',
      next_attempt_at: new Date(Date.now() + (retryInSeconds ?? 0) * 1000),
      locked_until: null,
      last_error: error.slice(0, 2000),
    })
    .where('id', '=', id)
    .execute();
}

/** Messages that are dead or have failed at least `minAttempts` times, for the admin view. */
export async function listStuck(db: Kysely<Database>, minAttempts: number, organisationIds: number[] | null) {
  let query = db
    .selectFrom('outbox')
    .select(['id', 'organisation_id', 'kind', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at'])
    .where((eb) => eb.or([eb('status', '=', 'dead'), eb.and([eb('status', '=', 'pending'), eb('attempts', '>=', minAttempts)])]))
    .orderBy('id', 'desc')
    .limit(500);
  if (organisationIds) query = query.where('organisation_id', 'in', organisationIds.length ? organisationIds : [-1]);
  return query.execute();
}

/** Puts a dead message back in the queue. */
export async function retryNow(db: Kysely<Database>, id: number): Promise<boolean> {
  const r = await db.updateTable('outbox').set({ status: 'pending', next_attempt_at: new Date(), locked_until: null }).where('id', '=', id).where('status', '<>', 'delivered').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
