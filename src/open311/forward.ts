import type { Kysely } from 'kysely';
import type { AppContext } from '../app-context.js';
import type { Case, CaseEvent, Database, Open311Forward } from '../db/types.js';
import { registerCaseEffect, type EffectEnv } from '../cases/effects.js';
import { cached } from '../shared/reference-cache.js';
import { deferWrite } from '../shared/write-batch.js';
import { lockCase } from '../cases/repo.js';
import { enqueue, PermanentDeliveryError, registerOutboxHandler } from '../outbox/service.js';
import type { ClaimedMessage } from '../outbox/repo.js';
import { Open311Client, Open311Error } from './client.js';
import { applyExternalUpdate } from './service.js';
import { parseFmsStatus } from './statuses.js';

// A responsibility may say "send by Open311" (responsibilities.open311_forward). A new case for it is
// then forwarded from the outbox after its transaction commits (never inside the citizen's request),
// the remote id is kept in open311_forwards, and the remote system's public updates are polled back
// into the case timeline by pollForwardedUpdates (every few minutes from `serve`).

export const FORWARD_KIND = 'open311.forward';
/** How far back each poll looks before the previous one, so an update written during a poll is not missed. */
const POLL_OVERLAP_MS = 10 * 60_000;
/** Forwarded cases closed longer ago than this are no longer polled. */
const POLL_AFTER_CLOSE_DAYS = 30;

/** Case effect: a new case whose responsibility forwards by Open311 gets a forward row and an outbox message. */
async function forwardNewCase(trx: Kysely<Database>, kase: Case, event: CaseEvent, env: EffectEnv): Promise<void> {
  if (event.kind !== 'created' || kase.responsibility_id === null) return;
  const responsibilityId = kase.responsibility_id;
  const r = await cached(env.reference, `open311-forward:${responsibilityId}`, () =>
    trx.selectFrom('responsibilities').select('open311_forward').where('id', '=', responsibilityId).executeTakeFirst());
  const forward = r?.open311_forward;
  if (!forward?.endpoint) return;
  const row = { case_id: kase.id, organisation_id: kase.organisation_id, responsibility_id: responsibilityId, endpoint: forward.endpoint, jurisdiction_id: forward.jurisdiction_id ?? null };
  await deferWrite(trx, 'open311_forwards', [row], (db, rows) => db.insertInto('open311_forwards').values(rows).onConflict((oc) => oc.column('case_id').doNothing()));
  await enqueue(trx, { kind: FORWARD_KIND, organisation_id: kase.organisation_id, payload: { case_id: kase.id }, dedupe_key: `${FORWARD_KIND}:${kase.id}` });
}

function clientFor(forward: Open311Forward): Open311Client {
  return new Open311Client({ endpoint: forward.endpoint, jurisdiction_id: forward.jurisdiction_id, api_key: forward.api_key, format: 'xml', timeoutMs: forward.timeout_ms });
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/** Appends an internal note about the forward to the case. */
async function noteOnCase(ctx: AppContext, caseId: number, kind: string, body: string, data: Record<string, unknown>): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const kase = await lockCase(trx, caseId);
    if (kase) await ctx.cases.append(trx, kase, { kind, visibility: 'internal', body, data, actor_label: 'Open311' });
  });
}

/**
 * Outbox handler: POSTs the case to the remote endpoint. Our attributes go along only when the remote
 * service code is ours (other systems ask other questions); no personal data leaves Ingång — the case
 * stays ours to answer the citizen. A 4xx answer is permanent; network errors and 5xx/429 are retried.
 */
async function deliverForward(message: ClaimedMessage, ctx: AppContext): Promise<void> {
  const caseId = Number(message.payload.case_id);
  const row = await ctx.db
    .selectFrom('open311_forwards as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('services as s', 's.id', 'c.service_id')
    .innerJoin('responsibilities as r', 'r.id', 'f.responsibility_id')
    .select(['f.remote_service_request_id', 'f.remote_token', 'c.public_id', 'c.description', 'c.title', 'c.lat', 'c.lon', 'c.address', 'c.attributes', 'c.media_url',
      's.service_code', 's.name_sv', 'r.open311_forward'])
    .where('f.case_id', '=', caseId)
    .executeTakeFirst();
  if (!row) throw new PermanentDeliveryError(`no Open311 forward for case ${caseId}`);
  if (row.remote_service_request_id || row.remote_token) return;
  const forward = row.open311_forward;
  if (!forward?.endpoint) throw new PermanentDeliveryError(`the responsibility of case ${caseId} no longer forwards by Open311`);
  const serviceCode = forward.service_code ?? row.service_code;
  const fields: Record<string, string | string[]> = {
    service_code: serviceCode,
    description: [row.title, row.description || row.name_sv, `(Vidarebefordrat från Ingång, ärende ${row.public_id})`].filter(Boolean).join('\n\n'),
  };
  if (row.lat !== null && row.lon !== null) {
    fields.lat = row.lat.toFixed(6);
    fields.long = row.lon.toFixed(6);
  }
  if (row.address) fields.address_string = row.address;
  if (row.media_url) fields.media_url = row.media_url;
  if (serviceCode === row.service_code) {
    for (const [code, value] of Object.entries(row.attributes)) {
      if (Array.isArray(value)) fields[`attribute[${code}][]`] = value;
      else fields[`attribute[${code}]`] = value;
    }
  }
  let answer;
  try {
    // The key is the case: every retry of this forward (after a timeout, a crash, a lease that ran out) is the same request.
    answer = await clientFor(forward).postRequest(fields, `ingang-forward-${row.public_id}`);
  } catch (error) {
    if (error instanceof Open311Error && error.status >= 400 && error.status < 500 && error.status !== 429) {
      await ctx.db.updateTable('open311_forwards').set({ state: 'failed', last_error: error.message }).where('case_id', '=', caseId).execute();
      await noteOnCase(ctx, caseId, 'open311_forward_failed', `Kunde inte vidarebefordras via Open311 till ${hostOf(forward.endpoint)}: ${error.message}`, { status: error.status, errors: error.errors });
      throw new PermanentDeliveryError(error.message);
    }
    throw error;
  }
  if (!answer.service_request_id && !answer.token) throw new Error(`${hostOf(forward.endpoint)} answered without service_request_id or token`);
  await ctx.db
    .updateTable('open311_forwards')
    .set({ state: 'sent', sent_at: new Date(), last_error: null, remote_service_request_id: answer.service_request_id, remote_token: answer.token })
    .where('case_id', '=', caseId)
    .execute();
  await noteOnCase(ctx, caseId, 'open311_forwarded', `Vidarebefordrat via Open311 till ${hostOf(forward.endpoint)}: ${answer.service_request_id ?? `token ${answer.token}`}`,
    { endpoint: forward.endpoint, remote_service_request_id: answer.service_request_id, remote_token: answer.token });
}

/**
 * Fetches the public updates of every forwarded case from its remote endpoint (one call per endpoint,
 * jurisdiction and key) and records them on our cases, idempotently on the remote update_id. Returns
 * how many new updates were recorded; an unreachable endpoint is noted on its rows and skipped.
 */
export async function pollForwardedUpdates(ctx: AppContext, now: Date = new Date()): Promise<number> {
  const closedSince = new Date(now.getTime() - POLL_AFTER_CLOSE_DAYS * 86_400_000);
  const rows = await ctx.db
    .selectFrom('open311_forwards as f')
    .innerJoin('cases as c', 'c.id', 'f.case_id')
    .innerJoin('responsibilities as r', 'r.id', 'f.responsibility_id')
    .select(['f.case_id', 'f.remote_service_request_id', 'f.remote_token', 'f.sent_at', 'f.last_polled_at', 'r.open311_forward'])
    .where('f.state', '=', 'sent')
    .where((eb) => eb.or([eb('c.closed_at', 'is', null), eb('c.closed_at', '>', closedSince)]))
    .execute();
  const groups = new Map<string, typeof rows>();
  for (const row of rows) {
    if (!row.open311_forward?.endpoint) continue;
    const f = row.open311_forward;
    const key = JSON.stringify([f.endpoint, f.jurisdiction_id, f.api_key]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let recorded = 0;
  for (const group of groups.values()) {
    const forward = group[0].open311_forward!;
    const client = clientFor(forward);
    try {
      for (const row of group) {
        if (row.remote_service_request_id || !row.remote_token) continue;
        row.remote_service_request_id = await client.token(row.remote_token);
        if (row.remote_service_request_id) {
          await ctx.db.updateTable('open311_forwards').set({ remote_service_request_id: row.remote_service_request_id }).where('case_id', '=', row.case_id).execute();
        }
      }
      const byRemoteId = new Map(group.filter((r) => r.remote_service_request_id).map((r) => [r.remote_service_request_id!, r.case_id]));
      if (byRemoteId.size === 0) continue;
      const since = Math.min(...group.map((r) => (r.last_polled_at ?? r.sent_at ?? now).getTime()));
      const updates = await client.updates({ start: new Date(since - POLL_OVERLAP_MS), end: now, service_request_id: [...byRemoteId.keys()] });
      for (const u of updates) {
        const caseId = u.service_request_id ? byRemoteId.get(u.service_request_id) : undefined;
        if (caseId === undefined || !u.update_id) continue;
        const result = await applyExternalUpdate(ctx, caseId, {
          externalId: `open311:${u.update_id}`,
          status: parseFmsStatus(u.status ?? '') ?? null,
          description: u.description ?? '',
          mediaUrl: u.media_url,
          updatedAt: u.updated_datetime ?? now,
          actor: { user_id: null, organisation_id: null, label: `Open311: ${hostOf(forward.endpoint)}` },
        });
        if (result.created) recorded++;
      }
      await ctx.db.updateTable('open311_forwards').set({ last_polled_at: now, last_error: null }).where('case_id', 'in', group.map((r) => r.case_id)).execute();
    } catch (error) {
      await ctx.db.updateTable('open311_forwards').set({ last_error: `poll: ${(error as Error).message}` }).where('case_id', 'in', group.map((r) => r.case_id)).execute();
    }
  }
  return recorded;
}

/** Polls remote updates every `intervalMs` (default 5 minutes) until stopped. */
export function startOpen311Poller(ctx: AppContext, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    pollForwardedUpdates(ctx).catch((error) => options.onError?.(error)).finally(() => { running = false; });
  }, options.intervalMs ?? 5 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

let installed = false;

/** Registers the forwarding case effect and outbox handler once per process (bootstrap calls it). */
export function installOpen311Forwarding(): void {
  if (installed) return;
  installed = true;
  registerCaseEffect(forwardNewCase);
  registerOutboxHandler(FORWARD_KIND, deliverForward);
}
