import type { Kysely } from 'kysely';
import type { Case, CaseEvent, Database } from '../db/types.js';
import { registerCaseEffect, reporterOf, runCaseEffects, type EffectEnv } from '../cases/effects.js';
import { cached } from '../shared/reference-cache.js';
import { writeHeldRows } from '../shared/write-batch.js';
import { appendEvent } from '../cases/repo.js';
import { FORWARD_KIND } from '../open311/forward.js';
import { currentOrigin } from './plugin.js';

// The abuse list, after FixMyStreet's `abuse` table: a report from a blocked e-mail address, phone
// number, device id or IP address is still received and stored (it is an allmän handling the moment it
// arrives) and the reporter gets a normal-looking receipt, but the case is hidden — confidential (never
// on public pages, Open311 or open data) and marked abuse_hidden_at — and nothing about it is sent: its
// receipt e-mail and Open311 forward are removed in the same transaction and its reporter follows nothing.
// Staff of the organisation see it with an internal note and can handle it as they see fit.

export type AbuseKind = 'email' | 'phone' | 'device' | 'ip';
export const ABUSE_KINDS: readonly AbuseKind[] = ['email', 'phone', 'device', 'ip'];

/** The form a value is compared in: e-mail lower case, phone digits only, others trimmed. */
export function normaliseAbuseValue(kind: AbuseKind, value: string): string {
  const v = value.trim();
  if (kind === 'email') return v.toLowerCase();
  if (kind === 'phone') return v.replace(/[^\d+]/g, '').replace(/^\+46/, '0');
  return v;
}

/** The entries that match a report's sources, for the owning organisation or the whole platform. */
async function matches(trx: Kysely<Database>, organisationId: number, sources: [AbuseKind, string][], env: EffectEnv) {
  if (sources.length === 0) return [];
  // The organisation's whole list (a few entries, usually none) is read once per reference version.
  const entries = await cached(env.reference, `abuse-list:${organisationId}`, () => trx.selectFrom('abuse_list').select(['id', 'kind', 'value'])
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)])).execute());
  const wanted = new Set(sources.map(([kind, value]) => `${kind}\n${normaliseAbuseValue(kind, value)}`));
  return entries.filter((e) => wanted.has(`${e.kind}\n${e.value}`)).map(({ id, kind }) => ({ id, kind }));
}

/** Case effect: hides a new case whose reporter or request origin is on the abuse list (see above). */
async function hideBlockedReport(trx: Kysely<Database>, kase: Case, event: CaseEvent, env: EffectEnv): Promise<void> {
  if (event.kind !== 'created') return;
  const sources: [AbuseKind, string][] = [];
  const ip = currentOrigin()?.ip;
  if (ip) sources.push(['ip', ip]);
  if (kase.reporter_id !== null) {
    const r = await reporterOf(trx, kase, env);
    if (r?.email) sources.push(['email', r.email]);
    if (r?.phone) sources.push(['phone', r.phone]);
    if (r?.device_id) sources.push(['device', r.device_id]);
  }
  const hits = await matches(trx, kase.organisation_id, sources, env);
  if (hits.length === 0) return;
  // The e-mail and forwarding effects' rows may still be held by the unit of work: written first, then withdrawn.
  await writeHeldRows(trx);
  const hidden = await trx.updateTable('cases').set({ confidential: true, abuse_hidden_at: new Date() }).where('id', '=', kase.id).returningAll().executeTakeFirstOrThrow();
  await trx.deleteFrom('outbox').where((eb) => eb.or([eb('dedupe_key', 'like', `case-email:${event.id}:%`), eb('dedupe_key', '=', `${FORWARD_KIND}:${kase.id}`)])).execute();
  await trx.deleteFrom('open311_forwards').where('case_id', '=', kase.id).execute();
  await trx.deleteFrom('case_followers').where('case_id', '=', kase.id).execute();
  const note = await appendEvent(trx, {
    case_id: kase.id, organisation_id: kase.organisation_id, kind: 'abuse_hidden', visibility: 'internal', actor_label: 'Ingång',
    body: `Dold: avsändaren finns i spärrlistan (${[...new Set(hits.map((h) => h.kind))].join(', ')}). Inget skickas.`,
    data: { abuse_list_ids: hits.map((h) => h.id) },
  });
  await runCaseEffects(trx, hidden, note, env);
}

let installed = false;

/** Registers the abuse check; after the e-mail and forwarding effects, whose rows it withdraws (security routes call it). */
export function installAbuseCheck(): void {
  if (installed) return;
  installed = true;
  registerCaseEffect(hideBlockedReport);
}

/** The entries an organisation's admin sees and manages (its own; platform-wide ones are read-only). */
export function listAbuse(db: Kysely<Database>, organisationId: number) {
  return db.selectFrom('abuse_list').select(['id', 'organisation_id', 'kind', 'value', 'reason', 'created_at'])
    .where((eb) => eb.or([eb('organisation_id', 'is', null), eb('organisation_id', '=', organisationId)])).orderBy('id').execute();
}

/** Blocks a source for one organisation; the same entry twice is one entry. */
export async function addAbuse(db: Kysely<Database>, entry: { organisationId: number; kind: AbuseKind; value: string; reason: string; userId: number }) {
  return db.insertInto('abuse_list')
    .values({ organisation_id: entry.organisationId, kind: entry.kind, value: normaliseAbuseValue(entry.kind, entry.value), reason: entry.reason, created_by: entry.userId })
    .onConflict((oc) => oc.doNothing()).returning(['id', 'kind', 'value']).executeTakeFirst();
}

/** Lifts a block of the organisation; false when it had no such entry. */
export async function removeAbuse(db: Kysely<Database>, organisationId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('abuse_list').where('id', '=', id).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
