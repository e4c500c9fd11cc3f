import { sql, type Kysely } from 'kysely';

// Tables whose rows decide routing, the catalogue and the abuse check: each app process caches what it read
// from them and drops its cache when reference_version moved (see src/shared/reference-cache.ts).
const REFERENCE_TABLES = ['municipalities', 'organisations', 'units', 'areas', 'service_groups', 'services', 'responsibilities',
  'responsibility_areas', 'responsibility_services', 'abuse_list'];

/**
 * 1. reference_version: a number that changes with every write to the reference tables. It comes from a
 *    sequence, so a rolled-back change never hands out a number that a later change reuses.
 * 2. audit_chain_heads: the last seq and hash of each audit chain. Appending takes the head's row lock and
 *    reads it in one statement (UPDATE … RETURNING sees the latest committed head), instead of an advisory
 *    lock, a read of the chain's last row and an insert per entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create sequence reference_version_seq;
    create table reference_version (
      id boolean primary key default true check (id),
      version bigint not null
    );
    insert into reference_version (version) values (nextval('reference_version_seq'));
    create function reference_version_bump() returns trigger language plpgsql as $$
    begin
      update reference_version set version = nextval('reference_version_seq');
      return null;
    end $$;

    create table audit_chain_heads (
      chain integer primary key,
      seq bigint not null,
      hash text not null
    );
    insert into audit_chain_heads (chain, seq, hash)
      select distinct on (chain) chain, seq, hash from audit_log order by chain, seq desc;
  `.execute(db);
  for (const table of REFERENCE_TABLES) {
    await sql`create trigger reference_version_bump after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function reference_version_bump()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of REFERENCE_TABLES) await sql`drop trigger if exists reference_version_bump on ${sql.table(table)}`.execute(db);
  await sql`
    drop table if exists audit_chain_heads;
    drop function if exists reference_version_bump();
    drop table if exists reference_version;
    drop sequence if exists reference_version_seq;
  `.execute(db);
}
