import type { Kysely } from 'kysely';
import type { Case, CaseEvent, Database } from '../db/types.js';
import { registerCaseEffect, reporterOf, type EffectEnv } from '../cases/effects.js';
import { cached, type ReferenceView } from '../shared/reference-cache.js';
import { OPEN311_STATUS } from '../cases/states.js';
import { enqueue } from '../outbox/service.js';
import { activeFollowers, followNewCase, type Follower } from './followers.js';
import { CASE_EMAIL } from './mailer.js';
import type { CaseEmailPayload } from './templates.js';

/** Channels whose reporters get no receipt: an import replays history, an alarm has no person behind it. */
const NO_RECEIPT = new Set(['import', 'alarm']);
/** Public events that are worth an e-mail to followers. */
const UPDATE_KINDS = new Set(['status_changed', 'public_update']);

async function caseFacts(trx: Kysely<Database>, kase: Case, reference?: ReferenceView | null) {
  const service = await cached(reference, `service-names:${kase.service_id}`, () =>
    trx.selectFrom('services').select(['name_sv', 'name_en']).where('id', '=', kase.service_id).executeTakeFirstOrThrow());
  const org = await cached(reference, `organisation-names:${kase.organisation_id}`, () =>
    trx.selectFrom('organisations').select(['name_sv', 'name_en']).where('id', '=', kase.organisation_id).executeTakeFirstOrThrow());
  return { name_sv: service.name_sv, name_en: service.name_en, org_sv: org.name_sv, org_en: org.name_en };
}

async function enqueueFor(trx: Kysely<Database>, kase: Case, event: CaseEvent, follower: Omit<Follower, 'id'>, template: CaseEmailPayload['template'], followToken: string | null, env: EffectEnv) {
  const facts = await caseFacts(trx, kase, env.reference);
  const payload: CaseEmailPayload = {
    template, to: follower.email, locale: follower.locale === 'en' ? 'en' : 'sv', case_number: kase.public_id,
    service: { sv: facts.name_sv, en: facts.name_en }, organisation: { sv: facts.org_sv, en: facts.org_en },
    status: kase.status, body: event.body, sla_due_at: kase.sla_due_at ? kase.sla_due_at.toISOString() : null,
    follow_token: followToken, unsubscribe_token: follower.token,
  };
  await enqueue(trx, {
    kind: CASE_EMAIL, organisation_id: kase.organisation_id, payload: payload as unknown as Record<string, unknown>,
    dedupe_key: `case-email:${event.id}:${follower.email}`,
  });
}

/**
 * E-mails for public events, written to the outbox in the case transaction: a receipt with the
 * private follow link to a reporter who gave an e-mail address (who also becomes a follower, so one
 * unsubscribe link serves everyone), and each public update or closing to every follower.
 */
export async function caseEmailEffect(trx: Kysely<Database>, kase: Case, event: CaseEvent, env: EffectEnv = {}): Promise<void> {
  if (event.visibility !== 'public') return;
  if (event.kind === 'created') {
    if (NO_RECEIPT.has(kase.channel) || !kase.reporter_id) return;
    const reporter = await reporterOf(trx, kase, env);
    if (!reporter?.email) return;
    const follower = await followNewCase(trx, { case_id: kase.id, organisation_id: kase.organisation_id, email: reporter.email, locale: reporter.locale });
    await enqueueFor(trx, kase, event, follower, 'receipt', kase.follow_token, env);
    return;
  }
  if (!UPDATE_KINDS.has(event.kind)) return;
  const closing = event.status_after !== null && OPEN311_STATUS[event.status_after] === 'closed';
  for (const follower of await activeFollowers(trx, kase.id)) {
    await enqueueFor(trx, kase, event, follower, closing ? 'closed' : 'update', null, env);
  }
}

/** Sends the "you now follow" e-mail to a new follower (in the caller's transaction). */
export async function enqueueSubscribed(trx: Kysely<Database>, kase: Case, follower: Follower): Promise<void> {
  const facts = await caseFacts(trx, kase);
  const payload: CaseEmailPayload = {
    template: 'subscribed', to: follower.email, locale: follower.locale === 'en' ? 'en' : 'sv', case_number: kase.public_id,
    service: { sv: facts.name_sv, en: facts.name_en }, organisation: { sv: facts.org_sv, en: facts.org_en },
    status: kase.status, body: null, sla_due_at: null, follow_token: null, unsubscribe_token: follower.token,
  };
  await enqueue(trx, { kind: CASE_EMAIL, organisation_id: kase.organisation_id, payload: payload as unknown as Record<string, unknown> });
}

let installed = false;

/** Registers the e-mail effect once per process. */
export function installCaseEmails(): void {
  if (installed) return;
  installed = true;
  registerCaseEffect(caseEmailEffect);
}
