import { sql, type Kysely } from 'kysely';

/**
 * Security and records (issue 8): idempotency keys remember the request they were made for and which
 * attempt holds them (a request that crashed mid-way can be taken over, never run twice); the abuse
 * list of blocked sources; cases hidden because their source was blocked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table idempotency_keys add column if not exists request_hash text;
    alter table idempotency_keys add column if not exists claim_token text;
    alter table idempotency_keys add column if not exists claimed_at timestamptz not null default now();
    alter table idempotency_keys add column if not exists case_id bigint;

    create table abuse_list (
      id integer generated always as identity primary key,
      organisation_id integer references organisations(id),
      kind text not null check (kind in ('email', 'phone', 'device', 'ip')),
      value text not null check (length(value) between 1 and 320),
      reason text not null default '',
      created_by integer references users(id),
      created_at timestamptz not null default now()
    );
    create unique index abuse_list_entry on abuse_list (coalesce(organisation_id, 0), kind, value);

    alter table cases add column abuse_hidden_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases drop column if exists abuse_hidden_at;
    drop table if exists abuse_list;
    alter table idempotency_keys drop column if exists case_id, drop column if exists claimed_at,
      drop column if exists claim_token, drop column if exists request_hash;
  `.execute(db);
}
