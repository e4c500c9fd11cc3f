import { sql, type Kysely } from 'kysely';

/**
 * API keys join the reference data each process caches (src/shared/reference-cache.ts): a key is looked up on
 * every Open311 write, and changes to keys are rare. Creating, revoking or changing a key moves
 * reference_version; recording when a key was last used (last_used_at) does not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create trigger reference_version_bump after insert or delete or truncate on api_keys
      for each statement execute function reference_version_bump();
    create trigger reference_version_bump_changed after update of key_hash, revoked_at, rate_limit_per_minute, organisation_id, name on api_keys
      for each statement execute function reference_version_bump();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists reference_version_bump on api_keys;
    drop trigger if exists reference_version_bump_changed on api_keys;
  `.execute(db);
}
