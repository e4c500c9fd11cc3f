import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { ReferenceView } from '../shared/reference-cache.js';

/** Hash of an API key. Keys are long random secrets, so a fast hash is safe and keeps every request cheap. */
export function hashApiKey(key: string): string {
  return crypto.createHash('sha256').update(key).digest('hex');
}

export interface CreatedApiKey {
  id: number;
  name: string;
  key: string;
  prefix: string;
}

/** Creates a key for a client application; the plain key is returned once and only its hash is stored. */
export async function createApiKey(
  db: Kysely<Database>,
  opts: { name: string; organisationId?: number | null; rateLimitPerMinute?: number },
): Promise<CreatedApiKey> {
  const name = opts.name.trim();
  if (!name) throw new Error('--name must not be empty');
  const prefix = crypto.randomBytes(4).toString('hex');
  const key = `ing_${prefix}_${crypto.randomBytes(24).toString('base64url')}`;
  const row = await db
    .insertInto('api_keys')
    .values({
      name,
      key_prefix: prefix,
      key_hash: hashApiKey(key),
      organisation_id: opts.organisationId ?? null,
      ...(opts.rateLimitPerMinute ? { rate_limit_per_minute: opts.rateLimitPerMinute } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, name, key, prefix };
}

export interface ActiveApiKey {
  id: number;
  name: string;
  organisation_id: number | null;
  rate_limit_per_minute: number;
  last_used_at: Date | null;
}

/**
 * The active key matching a presented secret, or undefined. Through a synced reference view (keys move
 * reference_version, migration 0912) a known key is answered from memory; an unknown one is never kept, so
 * guessing keys cannot fill the cache.
 */
export async function findActiveApiKey(db: Kysely<Database>, key: string, reference?: ReferenceView | null): Promise<ActiveApiKey | undefined> {
  if (!key || key.length > 200) return undefined;
  const hash = hashApiKey(key);
  const load = () => db
    .selectFrom('api_keys')
    .select(['id', 'name', 'organisation_id', 'rate_limit_per_minute', 'last_used_at'])
    .where('key_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!reference) return load();
  const found = await reference.get(`api-key:${hash}`, load);
  if (!found) reference.forget(`api-key:${hash}`);
  return found;
}

// When this process last wrote each key's last_used_at (a cached key's own column does not move).
const usedWritten = new Map<number, number>();

/** Records that a key was used: to the minute is what an administrator needs, not a write per request. */
export async function noteApiKeyUsed(db: Kysely<Database>, key: ActiveApiKey): Promise<void> {
  const now = Date.now();
  if (now - Math.max(usedWritten.get(key.id) ?? 0, key.last_used_at?.getTime() ?? 0) <= 60_000) return;
  usedWritten.set(key.id, now);
  await db.updateTable('api_keys').set({ last_used_at: new Date(now) }).where('id', '=', key.id).execute();
}

/** Revokes a key by id or prefix; returns how many were revoked. */
export async function revokeApiKey(db: Kysely<Database>, idOrPrefix: string): Promise<number> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where((eb) => (/^\d+$/.test(idOrPrefix) ? eb('id', '=', Number(idOrPrefix)) : eb('key_prefix', '=', idOrPrefix)))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** All keys without secrets. */
export async function listApiKeys(db: Kysely<Database>) {
  return db.selectFrom('api_keys').select(['id', 'name', 'key_prefix', 'organisation_id', 'created_at', 'revoked_at', 'last_used_at']).orderBy('id').execute();
}
