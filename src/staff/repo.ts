import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, Role } from '../db/types.js';

const SESSION_HOURS = 12;

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** A membership as the app uses it. */
export interface Membership {
  organisation_id: number;
  organisation_name_sv: string;
  organisation_name_en: string;
  organisation_kind: string;
  role: Role;
  unit_id: number | null;
}

/** Finds a user by e-mail (case-insensitive). */
export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

/** A user's memberships with organisation names. */
export async function membershipsOf(db: Kysely<Database>, userId: number): Promise<Membership[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select([
      'memberships.organisation_id',
      'organisations.name_sv as organisation_name_sv',
      'organisations.name_en as organisation_name_en',
      'organisations.kind as organisation_kind',
      'memberships.role',
      'memberships.unit_id',
    ])
    .where('memberships.user_id', '=', userId)
    .orderBy('organisations.name_sv')
    .execute();
}

/** Creates a session; returns the secret token for the cookie (only its hash is stored). */
export async function createSession(db: Kysely<Database>, userId: number, activeOrganisationId: number | null) {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashToken(token),
      user_id: userId,
      active_organisation_id: activeOrganisationId,
      csrf_token: csrfToken,
      expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
    })
    .execute();
  return { token, csrfToken };
}

/**
 * The live session, its user and the user's memberships (as membershipsOf orders them) for a cookie token:
 * one statement, as every staff request asks it.
 */
export async function findSession(db: Kysely<Database>, token: string) {
  if (!token || token.length > 100) return undefined;
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id_hash',
      'sessions.active_organisation_id',
      'sessions.csrf_token',
      'users.id as user_id',
      'users.email',
      'users.display_name',
      'users.locale',
    ])
    .select(sql<Membership[]>`(select coalesce(json_agg(json_build_object('organisation_id', m.organisation_id, 'organisation_name_sv', o.name_sv,
        'organisation_name_en', o.name_en, 'organisation_kind', o.kind, 'role', m.role, 'unit_id', m.unit_id) order by o.name_sv), '[]')
      from memberships m join organisations o on o.id = m.organisation_id where m.user_id = users.id)`.as('memberships'))
    .where('sessions.id_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Ends a session. */
export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
}

/** Switches the organisation a session acts for. */
export async function setActiveOrganisation(db: Kysely<Database>, token: string, organisationId: number): Promise<void> {
  await db.updateTable('sessions').set({ active_organisation_id: organisationId }).where('id_hash', '=', hashToken(token)).execute();
}

/** Records a log-in attempt and returns how many failed for this e-mail or address in the window. */
export async function recordLoginAttempt(db: Kysely<Database>, email: string, ip: string, succeeded: boolean): Promise<void> {
  await db.insertInto('login_attempts').values({ email, ip, succeeded }).execute();
}

/** Failed attempts for this e-mail or this address in the last `minutes`. */
export async function recentFailures(db: Kysely<Database>, email: string, ip: string, minutes: number): Promise<{ byEmail: number; byIp: number }> {
  const since = new Date(Date.now() - minutes * 60_000);
  const row = await db
    .selectFrom('login_attempts')
    .select([
      sql<number>`count(*) filter (where email = ${email})`.as('by_email'),
      sql<number>`count(*) filter (where ip = ${ip})`.as('by_ip'),
    ])
    .where('succeeded', '=', false)
    .where('attempted_at', '>', since)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  return { byEmail: Number(row.by_email), byIp: Number(row.by_ip) };
}

/** Every organisation by Swedish name, for choosing a body to forward a case to. */
export async function listOrganisations(db: Kysely<Database>) {
  return db.selectFrom('organisations').select(['id', 'name_sv', 'name_en', 'kind']).orderBy('name_sv').execute();
}
