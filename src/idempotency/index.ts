import crypto from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/types.js';
import { registerCaseEffect } from '../cases/effects.js';
import { AppError, badInput } from '../shared/errors.js';

// One Idempotency-Key mechanism for every POST that creates a case (citizen form, public API, Open311):
// - the first request with a key claims it (a row committed before any work starts);
// - a repeat with the same body gets the stored answer (header idempotent-replayed: true);
// - a repeat while the first is still running waits a moment, then gets 409 in_progress;
// - the same key with a different body is 422 idempotency_key_reused;
// - the case records itself on the key IN ITS OWN TRANSACTION (a case effect), so a process killed between
//   the case's commit and the answer never makes a second case: the retry rebuilds the answer from the case;
// - a claim whose process died before its case committed is taken over after STALE_SECONDS;
// - keys are kept KEEP_HOURS (≥ 24 h) and then purged.

/** What a request answered; stored under its key and replayed. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotentOptions {
  /** Namespace of the key (route and, for API clients, the client), e.g. 'public.report'. */
  route: string;
  /** What makes two requests "the same": the parsed fields, photo hashes and so on. */
  fingerprint: unknown;
  /** Rebuilds the answer for a case whose request died after its commit, before it could answer. */
  recover: (caseId: number) => Promise<StoredResponse>;
  /** How long a repeat waits for a running first request before answering 409 (ms). */
  waitMs?: number;
  /** Sends a (stored or fresh) answer in the route's own format; JSON by default. */
  send?: (reply: FastifyReply, response: StoredResponse) => FastifyReply;
}

const IN_PROGRESS = 0;
const KEY_PATTERN = /^[\w.:-]{8,200}$/;
/** A claim older than this whose case never committed belongs to a request that died. */
export const STALE_SECONDS = 30;
/** Keys are kept at least a day (the issue asks ≥ 24 h); two days gives late retries some slack. */
export const KEEP_HOURS = 48;
const DEFAULT_WAIT_MS = 2000;

interface Claim {
  key: string;
  route: string;
  token: string;
}

const current = new AsyncLocalStorage<Claim>();

/** The JSON of a value with sorted keys, so field order does not change the fingerprint. */
function canonical(value: unknown): string {
  if (Buffer.isBuffer(value)) return JSON.stringify(crypto.createHash('sha256').update(value).digest('hex'));
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** The fingerprint hash of a request (sha256 of its canonical JSON; Buffers by their own hash). */
export function fingerprintOf(value: unknown): string {
  return crypto.createHash('sha256').update(canonical(value)).digest('hex');
}

/** The Idempotency-Key header of a request, validated; undefined when absent. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!KEY_PATTERN.test(key)) {
    throw badInput('Idempotency-Key', 'must be 8–200 letters, digits or - _ . :', 'ska vara 8–200 tecken: bokstäver, siffror eller - _ . :', 'invalid_idempotency_key');
  }
  return key;
}

const inProgress = () => new AppError({ status: 409, code: 'in_progress',
  message: 'Idempotency-Key: the same request is still being processed; try again in a moment',
  message_sv: 'Idempotency-Key: samma begäran behandlas fortfarande; försök igen om en stund', field: 'Idempotency-Key' });

const reused = () => new AppError({ status: 422, code: 'idempotency_key_reused', field: 'Idempotency-Key',
  message: 'Idempotency-Key: this key was already used for a different request; use a new key for a new report',
  message_sv: 'Idempotency-Key: nyckeln har redan använts för en annan begäran; använd en ny nyckel för en ny anmälan' });

type Outcome = { kind: 'claimed'; token: string } | { kind: 'replay'; response: StoredResponse } | { kind: 'recover'; caseId: number; token: string | null };

/** Claims the key, or says what the earlier request with it came to. */
async function claim(db: Kysely<Database>, key: string, route: string, hash: string, waitMs: number): Promise<Outcome> {
  const token = crypto.randomUUID();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const inserted = await db.insertInto('idempotency_keys')
      .values({ key, route, status_code: IN_PROGRESS, response: '{}', request_hash: hash, claim_token: token })
      .onConflict((oc) => oc.columns(['key', 'route']).doNothing()).returning('key').executeTakeFirst();
    if (inserted) return { kind: 'claimed', token };
    const row = await db.selectFrom('idempotency_keys')
      .select(['status_code', 'response', 'request_hash', 'claim_token', 'case_id', sql<boolean>`claimed_at < now() - make_interval(secs => ${STALE_SECONDS})`.as('stale')])
      .where('key', '=', key).where('route', '=', route).executeTakeFirst();
    if (!row) continue;
    if (row.request_hash !== null && row.request_hash !== hash) throw reused();
    if (row.status_code !== IN_PROGRESS) return { kind: 'replay', response: { status: row.status_code, body: row.response } };
    if (row.case_id !== null) return { kind: 'recover', caseId: row.case_id, token: row.claim_token };
    if (row.stale) {
      const taken = await db.updateTable('idempotency_keys').set({ claim_token: token, claimed_at: new Date() })
        .where('key', '=', key).where('route', '=', route).where('status_code', '=', IN_PROGRESS).where('case_id', 'is', null)
        .where((eb) => (row.claim_token === null ? eb('claim_token', 'is', null) : eb('claim_token', '=', row.claim_token)))
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { kind: 'claimed', token };
      continue;
    }
    if (Date.now() >= deadline) throw inProgress();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function complete(db: Kysely<Database>, key: string, route: string, token: string | null, response: StoredResponse): Promise<void> {
  await db.updateTable('idempotency_keys').set({ status_code: response.status, response: JSON.stringify(response.body) })
    .where('key', '=', key).where('route', '=', route)
    .where((eb) => (token === null ? eb('claim_token', 'is', null) : eb('claim_token', '=', token))).execute();
}

/**
 * Runs `work` at most once per key (see the notes at the top of this file) and sends its answer, or
 * the stored answer of the first request with the same key. Without a key, `work` simply runs.
 */
export async function sendIdempotent(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, options: IdempotentOptions,
  work: () => Promise<StoredResponse>): Promise<FastifyReply> {
  const send = options.send ?? ((r: FastifyReply, response: StoredResponse) => r.code(response.status).send(response.body));
  const key = idempotencyKeyOf(request);
  if (key === undefined) return send(reply, await work());
  const route = options.route;
  await db.deleteFrom('idempotency_keys').where('created_at', '<', sql<Date>`now() - make_interval(hours => ${KEEP_HOURS})`).execute();
  const outcome = await claim(db, key, route, fingerprintOf(options.fingerprint), options.waitMs ?? DEFAULT_WAIT_MS);
  if (outcome.kind === 'replay') return send(reply.header('idempotent-replayed', 'true'), outcome.response);
  if (outcome.kind === 'recover') {
    const response = await options.recover(outcome.caseId);
    await complete(db, key, route, outcome.token, response);
    return send(reply.header('idempotent-replayed', 'true'), response);
  }
  let result: StoredResponse;
  try {
    result = await current.run({ key, route, token: outcome.token }, work);
  } catch (error) {
    // Nothing was made (the case's transaction rolled back): free the key for a corrected retry.
    await db.deleteFrom('idempotency_keys').where('key', '=', key).where('route', '=', route)
      .where('claim_token', '=', outcome.token).where('case_id', 'is', null).execute();
    throw error;
  }
  await complete(db, key, route, outcome.token, result);
  return send(reply, result);
}

// Case effect: a case created under a claimed key records itself on the key in its own transaction.
// If another attempt took the key over meanwhile, this one rolls back, so one key never makes two cases.
registerCaseEffect(async (trx, kase, event) => {
    const claimOf = current.getStore();
    if (!claimOf || event.kind !== 'created') return;
    const marked = await trx.updateTable('idempotency_keys').set({ case_id: kase.id })
      .where('key', '=', claimOf.key).where('route', '=', claimOf.route).where('claim_token', '=', claimOf.token).where('case_id', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) !== 1) throw inProgress();
});
