import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { redactIdentityNumbers } from '../opendata/redact.js';
import { notFound } from '../shared/errors.js';

// Records duties (allmänna handlingar): the public diary, the records export of one case with its secret
// parts masked, and the GDPR access export of everything held about an e-mail address.

export interface DiaryQuery {
  municipality: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

/**
 * The public diary (diarium) of a municipality: every registered case, confidential ones too, with
 * number, registration time, category, responsible organisation and status — never the description,
 * place or anything about the reporter. Reports hidden as abuse are registered all the same.
 */
export async function diary(db: Kysely<Database>, q: DiaryQuery) {
  let query = db.selectFrom('cases')
    .innerJoin('services as s', 's.id', 'cases.service_id')
    .innerJoin('organisations as o', 'o.id', 'cases.organisation_id')
    .select(['cases.public_id as case_number', 'cases.requested_at as registered_at', 's.service_code', 's.name_sv as category_sv', 's.name_en as category_en',
      'o.slug as organisation_slug', 'o.name_sv as organisation_sv', 'o.name_en as organisation_en', 'cases.status', 'cases.confidential'])
    .where('cases.municipality_code', '=', q.municipality);
  if (q.from) query = query.where('cases.requested_at', '>=', sql<Date>`(${q.from}::date)::timestamp at time zone 'Europe/Stockholm'`);
  if (q.to) query = query.where('cases.requested_at', '<', sql<Date>`((${q.to}::date) + 1)::timestamp at time zone 'Europe/Stockholm'`);
  const rows = await query.orderBy('cases.requested_at', 'desc').orderBy('cases.id', 'desc').limit(q.limit ?? 200).offset(q.offset ?? 0).execute();
  return rows.map((r) => ({
    case_number: r.case_number,
    registered_at: r.registered_at.toISOString(),
    category: { code: r.service_code, sv: r.category_sv, en: r.category_en },
    organisation: { slug: r.organisation_slug, sv: r.organisation_sv, en: r.organisation_en },
    status: r.status,
    confidential: r.confidential,
  }));
}

/** Why parts of a records export are masked (Offentlighets- och sekretesslagen). */
const MASK_REASONS = {
  identity: 'Personnummer maskerade (OSL 21:1, 22:1)',
  confidential: 'Ärendet är sekretessmarkerat: uppgifter om anmälaren, adressen och all fritext (som kan röja anmälaren) är maskerade (OSL 21:1, 21:3)',
} as const;
const MASKED = '[maskerad]';

/**
 * The records export of one case (allmän handling) as it may be handed out: the case as received, its
 * current state, every event (public and internal) and its photos as a list. Personnummer are always
 * masked; a confidential case also has its reporter, address and all free text masked.
 */
export async function recordOf(db: Kysely<Database>, caseId: number) {
  const kase = await db.selectFrom('cases')
    .innerJoin('services as s', 's.id', 'cases.service_id')
    .innerJoin('organisations as o', 'o.id', 'cases.organisation_id')
    .leftJoin('reporters as r', 'r.id', 'cases.reporter_id')
    .select(['cases.id', 'cases.public_id', 'cases.requested_at', 'cases.status', 'cases.priority', 'cases.confidential', 'cases.channel', 'cases.title', 'cases.description',
      'cases.address', 'cases.lat', 'cases.lon', 'cases.closed_at', 'cases.as_received', 'cases.municipality_code', 's.service_code', 's.name_sv as service_sv',
      'o.name_sv as organisation_sv', 'r.name as reporter_name', 'r.email as reporter_email', 'r.phone as reporter_phone', 'r.anonymised_at as reporter_anonymised_at'])
    .where('cases.id', '=', caseId).executeTakeFirst();
  if (!kase) throw notFound('case', caseId);
  const mask = kase.confidential ? (text: string) => (text ? MASKED : '') : redactIdentityNumbers;
  const events = await db.selectFrom('case_events').select(['id', 'created_at', 'kind', 'visibility', 'actor_label', 'body', 'status_after'])
    .where('case_id', '=', caseId).orderBy('id').execute();
  const photos = await db.selectFrom('attachments').select(['id', 'created_at', 'visibility', 'disposed_at', 'content_type']).where('case_id', '=', caseId).orderBy('id').execute();
  const asReceived = kase.as_received as Record<string, unknown>;
  return {
    case_number: kase.public_id,
    organisation: kase.organisation_sv,
    municipality_code: kase.municipality_code,
    registered_at: kase.requested_at.toISOString(),
    category: { code: kase.service_code, sv: kase.service_sv },
    channel: kase.channel,
    confidential: kase.confidential,
    as_received: { ...asReceived, received_at: String(asReceived.received_at ?? ''), description: mask(String(asReceived.description ?? '')), title: asReceived.title ? mask(String(asReceived.title)) : null },
    current: {
      status: kase.status, priority: kase.priority, title: kase.title ? mask(kase.title) : null, description: mask(kase.description),
      address: kase.confidential ? MASKED : kase.address, lat: kase.lat, lon: kase.lon, closed_at: kase.closed_at?.toISOString() ?? null,
    },
    reporter: kase.confidential
      ? { masked: true }
      : { masked: false, anonymised: kase.reporter_anonymised_at !== null, name: kase.reporter_name, email: kase.reporter_email, phone: kase.reporter_phone },
    events: events.map((e) => ({ at: e.created_at.toISOString(), kind: e.kind, visibility: e.visibility, actor: e.actor_label, body: e.body === null ? null : mask(e.body), status_after: e.status_after })),
    photos: photos.map((p) => ({ id: p.id, at: p.created_at.toISOString(), visibility: p.visibility, disposed: p.disposed_at !== null })),
    masking: kase.confidential ? [MASK_REASONS.identity, MASK_REASONS.confidential] : [MASK_REASONS.identity],
  };
}

export type CaseRecord = Awaited<ReturnType<typeof recordOf>>;

/**
 * Everything held about an e-mail address (GDPR art. 15): reporter records and their cases, case
 * subscriptions, a staff account with its memberships, and abuse-list entries. `organisationIds` limits
 * it to those organisations (an organisation's admin); null means all (the operator's CLI).
 */
export async function gdprExport(db: Kysely<Database>, email: string, organisationIds: number[] | null) {
  const address = email.trim().toLowerCase();
  const inOrgs = <T extends { organisation_id: number | null }>(rows: T[]) => (organisationIds ? rows.filter((r) => r.organisation_id !== null && organisationIds.includes(r.organisation_id)) : rows);
  const reporters = inOrgs(await db.selectFrom('reporters').innerJoin('organisations as o', 'o.id', 'reporters.organisation_id')
    .select(['reporters.id', 'reporters.organisation_id', 'o.name_sv as organisation', 'reporters.name', 'reporters.email', 'reporters.phone', 'reporters.device_id',
      'reporters.account_id', 'reporters.locale', 'reporters.created_at', 'reporters.anonymised_at'])
    .where(sql<boolean>`lower(reporters.email) = ${address}`).execute());
  const cases = reporters.length === 0 ? [] : await db.selectFrom('cases').innerJoin('services as s', 's.id', 'cases.service_id')
    .select(['cases.id', 'cases.public_id', 'cases.organisation_id', 'cases.reporter_id', 'cases.requested_at', 'cases.status', 's.service_code', 'cases.description', 'cases.address', 'cases.as_received'])
    .where('cases.reporter_id', 'in', reporters.map((r) => r.id)).orderBy('cases.id').execute();
  const subscriptions = inOrgs(await db.selectFrom('case_followers').innerJoin('cases as c', 'c.id', 'case_followers.case_id')
    .select(['case_followers.organisation_id', 'c.public_id as case_number', 'case_followers.email', 'case_followers.locale', 'case_followers.created_at'])
    .where(sql<boolean>`lower(case_followers.email) = ${address}`).execute());
  const user = await db.selectFrom('users').select(['id', 'email', 'display_name', 'created_at']).where(sql<boolean>`lower(email) = ${address}`).executeTakeFirst();
  const memberships = user ? inOrgs(await db.selectFrom('memberships').select(['organisation_id', 'role']).where('user_id', '=', user.id).execute()) : [];
  const abuse = inOrgs(await db.selectFrom('abuse_list').select(['organisation_id', 'kind', 'value', 'reason', 'created_at']).where('kind', '=', 'email').where('value', '=', address).execute());
  return {
    email: address,
    exported_at: new Date().toISOString(),
    scope: organisationIds === null ? 'all organisations' : { organisation_ids: organisationIds },
    reporter_records: reporters.map((r) => ({ ...r, created_at: r.created_at.toISOString(), anonymised_at: r.anonymised_at?.toISOString() ?? null })),
    cases: cases.map((c) => ({ ...c, requested_at: c.requested_at.toISOString() })),
    subscriptions: subscriptions.map((s) => ({ ...s, created_at: s.created_at.toISOString() })),
    staff_account: user && (organisationIds === null || memberships.length > 0) ? { ...user, created_at: user.created_at.toISOString(), memberships } : null,
    abuse_list: abuse.map((a) => ({ ...a, created_at: a.created_at.toISOString() })),
  };
}
