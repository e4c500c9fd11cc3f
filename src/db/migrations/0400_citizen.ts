import { sql, type Kysely } from 'kysely';

/**
 * The citizen's way in: e-mail followers of a case (with their language and a one-click unsubscribe
 * token) and idempotency keys so a double-clicked "send" makes one case. The case-handling migration
 * (0200) may have created case_followers first; this one then adds what it lacks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table if not exists case_followers (
      id bigint generated always as identity primary key,
      case_id bigint not null references cases(id),
      organisation_id integer not null references organisations(id),
      email text not null,
      locale text not null default 'sv',
      token text not null unique,
      created_at timestamptz not null default now(),
      unsubscribed_at timestamptz
    );
    alter table case_followers add column if not exists locale text not null default 'sv';
    create index if not exists case_followers_case on case_followers (case_id);
    create unique index if not exists case_followers_case_email on case_followers (case_id, lower(email));

    create table if not exists idempotency_keys (
      key text not null check (length(key) between 8 and 200),
      route text not null,
      status_code integer not null,
      response jsonb not null,
      created_at timestamptz not null default now(),
      primary key (key, route)
    );
    create index if not exists idempotency_keys_created on idempotency_keys (created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists case_followers_case_email;
    alter table case_followers drop column if exists locale;
    drop table if exists idempotency_keys;
  `.execute(db);
}
