import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';

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

/** The active key matching a presented secret, or undefined. */
export async function findActiveApiKey(db: Kysely<Database>, key: string) {
  if (!key || key.length > 200) return undefined;
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'organisation_id', 'rate_limit_per_minute', 'last_used_at'])
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
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
