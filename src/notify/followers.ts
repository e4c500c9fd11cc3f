import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { deferWrite } from '../shared/write-batch.js';

/** Someone who gets a case's public updates by e-mail. */
export interface Follower {
  id: number;
  email: string;
  locale: string;
  token: string;
}

type NewFollower = { case_id: number; organisation_id: number; email: string; locale: string };

/** A follower's row: the address as compared (trimmed, lower case) and a new unsubscribe token. */
function followerRow(f: NewFollower) {
  return { case_id: f.case_id, organisation_id: f.organisation_id, email: f.email.trim().toLowerCase(), locale: f.locale, token: crypto.randomBytes(18).toString('base64url') };
}

/**
 * Adds (or re-activates) a follower of a case; one row per case and e-mail address whatever its case.
 * Returns the follower with its unsubscribe token.
 */
export async function addFollower(db: Kysely<Database>, f: NewFollower): Promise<Follower> {
  const row = followerRow(f);
  const result = await sql<Follower>`
    insert into case_followers (case_id, organisation_id, email, locale, token)
    values (${row.case_id}, ${row.organisation_id}, ${row.email}, ${row.locale}, ${row.token})
    on conflict (case_id, lower(email)) do update set unsubscribed_at = null, locale = excluded.locale
    returning id, email, locale, token
  `.execute(db);
  return result.rows[0];
}

/**
 * Makes the reporter of a case created in this unit of work its first follower. Nothing can follow a case
 * before it exists, so the row is new and its token known without reading it back: it is written with the
 * unit of work's other held rows (see write-batch).
 */
export async function followNewCase(trx: Kysely<Database>, f: NewFollower): Promise<Omit<Follower, 'id'>> {
  const follower = followerRow(f);
  await deferWrite(trx, 'case_followers', [follower], (db, rows) => db.insertInto('case_followers').values(rows));
  return follower;
}

/** Everyone still following a case. */
export async function activeFollowers(db: Kysely<Database>, caseId: number): Promise<Follower[]> {
  return db.selectFrom('case_followers').select(['id', 'email', 'locale', 'token'])
    .where('case_id', '=', caseId).where('unsubscribed_at', 'is', null).orderBy('id').execute();
}

/** Stops the e-mails of one follower; returns the case number, or undefined for an unknown token. Repeating it is harmless. */
export async function unsubscribe(db: Kysely<Database>, token: string): Promise<{ public_id: string; email: string } | undefined> {
  const row = await db.selectFrom('case_followers').innerJoin('cases', 'cases.id', 'case_followers.case_id')
    .select(['case_followers.id', 'case_followers.email', 'case_followers.unsubscribed_at', 'cases.public_id'])
    .where('case_followers.token', '=', token).executeTakeFirst();
  if (!row) return undefined;
  if (!row.unsubscribed_at) await db.updateTable('case_followers').set({ unsubscribed_at: new Date() }).where('id', '=', row.id).execute();
  return { public_id: row.public_id, email: row.email };
}
