import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { registerCaseEffect } from '../cases/effects.js';
import { collect, deferWrite } from '../shared/write-batch.js';

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

/** Appends to the organisation's chain in the caller's transaction; in a write batch, with the batch's other entries. */
export async function appendAudit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  if (db.isTransaction) await collect(db, 'audit', entry, writeEntries);
  else await db.transaction().execute((trx) => writeEntries(trx, [entry]));
}

/**
 * Writes entries in one head update for all their chains (in ascending chain order, so two writers never wait
 * on each other's heads crosswise) and one insert. The head's UPDATE … RETURNING takes its row lock and yields
 * the latest committed seq and hash; the lock is held to commit, which keeps each chain gapless and in order.
 * The insert and the heads' new hashes go with the unit of work's other deferred rows (see write-batch).
 */
async function writeEntries(trx: Kysely<Database>, entries: AuditEntry[]): Promise<void> {
  const counts = new Map<number, number>();
  for (const e of entries) counts.set(e.chain, (counts.get(e.chain) ?? 0) + 1);
  const chains = [...counts.keys()].sort((a, b) => a - b);
  const heads = await trx
    .insertInto('audit_chain_heads')
    .values(chains.map((chain) => ({ chain, seq: counts.get(chain)!, hash: '' })))
    .onConflict((oc) => oc.column('chain').doUpdateSet({ seq: sql`audit_chain_heads.seq + excluded.seq` }))
    .returning(['chain', 'seq', 'hash'])
    .execute();
  const occurredAt = new Date();
  const rows = [];
  const newHeads: { chain: number; hash: string }[] = [];
  for (const head of heads) {
    let seq = Number(head.seq) - counts.get(head.chain)!;
    let prevHash = head.hash || GENESIS;
    for (const entry of entries.filter((e) => e.chain === head.chain)) {
      const full = {
        chain: head.chain, actor_user_id: entry.actor_user_id ?? null, actor_label: entry.actor_label ?? null, action: entry.action,
        subject_type: entry.subject_type, subject_id: entry.subject_id, details: entry.details ?? {}, seq: ++seq, occurred_at: occurredAt,
      };
      const row = { ...full, details: JSON.stringify(full.details), prev_hash: prevHash, hash: hashOf(prevHash, full) };
      prevHash = row.hash;
      rows.push(row);
    }
    newHeads.push({ chain: head.chain, hash: prevHash });
  }
  await deferWrite(trx, 'audit_log', rows, (db, all) => db.insertInto('audit_log').values(all));
  await deferWrite(trx, 'audit_chain_heads', newHeads, (db, all) => db
    .updateTable('audit_chain_heads')
    .from(sql<{ chain: number; hash: string }>`(values ${sql.join(all.map((h) => sql`(${h.chain}::int, ${h.hash}::text)`))})`.as(sql`new_head(chain, hash)` as never))
    .set({ hash: sql`new_head.hash` })
    .whereRef('audit_chain_heads.chain', '=', sql.ref('new_head.chain') as never));
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
