import { sql, type Kysely } from 'kysely';

/**
 * Rate-limit counters in PostgreSQL, so that several app processes (serve --workers N, or several
 * machines) count one client's requests together. Unlogged: a counter lost in a crash costs nothing,
 * and skipping the WAL keeps the one upsert per limited request cheap.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unlogged table rate_limits (
      key text primary key,
      count integer not null,
      window_ends_at timestamptz not null
    );
    create index rate_limits_window on rate_limits (window_ends_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists rate_limits`.execute(db);
}
