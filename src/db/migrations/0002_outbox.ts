import { sql, type Kysely } from 'kysely';

/**
 * The transactional outbox: a message is written in the same transaction as the change that caused it,
 * and a worker delivers it afterwards with retries, so nothing is lost on a crash and nothing is sent
 * for a change that rolled back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox (
      id bigint generated always as identity primary key,
      organisation_id integer references organisations(id),
      kind text not null,
      payload jsonb not null,
      dedupe_key text unique,
      status text not null default 'pending' check (status in ('pending','delivered','dead')),
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz
    );
    create index outbox_due on outbox (next_attempt_at, id) where status = 'pending';
    create index outbox_dead on outbox (created_at) where status = 'dead';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists outbox`.execute(db);
}
