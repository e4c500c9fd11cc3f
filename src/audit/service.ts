import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { registerCaseEffect } from '../cases/effects.js';

const GENESIS = '0'.repeat(64);
/** Chain 0 holds platform-wide entries that belong to no organisation. */
export const PLATFORM_CHAIN = 0;

export interface AuditEntry {
  chain: number;
  actor_user_id?: number | null;
  actor_label?: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  details?: Record<string, unknown>;
}

/** JSON with sorted keys, so the hash does not depend on key order after a round trip through jsonb. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function hashOf(prevHash: string, e: Required<Omit<AuditEntry, 'details'>> & { details: Record<string, unknown>; seq: number; occurred_at: Date }): string {
  const body = canonical({
    chain: e.chain, seq: e.seq, occurred_at: e.occurred_at.toISOString(), actor_user_id: e.actor_user_id, actor_label: e.actor_label,
    action: e.action, subject_type: e.subject_type, subject_id: e.subject_id, details: e.details,
  });
  return crypto.createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

// Entries appended inside withAuditBatch wait here and are written together just before the work commits.
const batches = new WeakMap<Kysely<Database>, AuditEntry[]>();

/**
 * Runs `fn` in the transaction `trx` with its audit entries written together at its end (still inside the
 * transaction): one head update and one insert per chain, however many events the work appended.
 */
export async function withAuditBatch<T>(trx: Kysely<Database>, fn: () => Promise<T>): Promise<T> {
  if (batches.has(trx)) return fn();
  const pending: AuditEntry[] = [];
  batches.set(trx, pending);
  try {
    const result = await fn();
    await writeEntries(trx, pending);
    return result;
  } finally {
    batches.delete(trx);
  }
}

/** Appends to the organisation's chain in the caller's transaction (or in a batch, see withAuditBatch). */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  const batch = batches.get(db);
  if (batch) batch.push(entry);
  else if (db.isTransaction) await writeEntries(db, [entry]);
  else await db.transaction().execute((trx) => writeEntries(trx, [entry]));
}

/**
 * Writes entries chain by chain in ascending chain order (so two writers never wait on each other's heads
 * crosswise). The head's UPDATE … RETURNING takes its row lock and yields the latest committed seq and hash;
 * the lock is held to commit, which keeps each chain gapless and in order.
 */
async function writeEntries(trx: Kysely<Database>, entries: AuditEntry[]): Promise<void> {
  const chains = [...new Set(entries.map((e) => e.chain))].sort((a, b) => a - b);
  for (const chain of chains) {
    const mine = entries.filter((e) => e.chain === chain);
    const head = await trx
      .insertInto('audit_chain_heads')
      .values({ chain, seq: mine.length, hash: '' })
      .onConflict((oc) => oc.column('chain').doUpdateSet({ seq: sql`audit_chain_heads.seq + ${mine.length}` }))
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow();
    let seq = Number(head.seq) - mine.length;
    let prevHash = head.hash || GENESIS;
    const occurredAt = new Date();
    const rows = mine.map((entry) => {
      const full = {
        chain, actor_user_id: entry.actor_user_id ?? null, actor_label: entry.actor_label ?? null, action: entry.action,
        subject_type: entry.subject_type, subject_id: entry.subject_id, details: entry.details ?? {}, seq: ++seq, occurred_at: occurredAt,
      };
      const row = { ...full, details: JSON.stringify(full.details), prev_hash: prevHash, hash: hashOf(prevHash, full) };
      prevHash = row.hash;
      return row;
    });
    await trx
      .with('head', (q) => q.updateTable('audit_chain_heads').set({ hash: prevHash }).where('chain', '=', chain))
      .insertInto('audit_log')
      .values(rows)
      .execute();
  }
}

export interface VerifyResult {
  chains: number;
  entries: number;
  broken: { chain: number; seq: number; reason: string }[];
}

/** Recomputes every chain; reports each entry whose hash or link does not match. */
export async function verifyAuditLog(db: Kysely<Database>): Promise<VerifyResult> {
  const chains = await db.selectFrom('audit_log').select('chain').distinct().execute();
  const result: VerifyResult = { chains: chains.length, entries: 0, broken: [] };
  for (const { chain } of chains) {
    let prevHash = GENESIS;
    let expectedSeq = 1;
    let afterId = 0;
    for (;;) {
      const rows = await db.selectFrom('audit_log').selectAll().where('chain', '=', chain).where('id', '>', afterId).orderBy('seq').limit(5000).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        result.entries++;
        if (row.seq !== expectedSeq) result.broken.push({ chain, seq: row.seq, reason: `expected seq ${expectedSeq}` });
        if (row.prev_hash !== prevHash) result.broken.push({ chain, seq: row.seq, reason: 'prev_hash does not match the previous entry' });
        if (hashOf(row.prev_hash, { ...row, details: row.details }) !== row.hash) result.broken.push({ chain, seq: row.seq, reason: 'hash does not match the content' });
        prevHash = row.hash;
        expectedSeq = row.seq + 1;
        afterId = Math.max(afterId, row.id);
      }
    }
  }
  return result;
}

/** Every case event is also an audit entry in the owning organisation's chain. */
registerCaseEffect(async (trx, kase, event) => {
  await appendAudit(trx, {
    chain: kase.organisation_id,
    actor_user_id: event.actor_user_id,
    actor_label: event.actor_label,
    action: `case.${event.kind}`,
    subject_type: 'case',
    subject_id: kase.public_id,
    details: { event_id: event.id, visibility: event.visibility, status_after: event.status_after },
  });
});
