import { sql, type Kysely } from 'kysely';

/**
 * Agreements and re-routing (src/agreements, src/routing, src/cases/rerouting.ts):
 * - case_access: organisations other than the current owner that keep seeing a case because it was
 *   forwarded or re-routed away from them. Staff case scoping = owner OR a row here.
 * - responsibility_changes: who created, edited or ended an agreement, with the row before and after.
 * - areas.owner_organisation_id: who drew a district, road corridor or custom area (null for reference data).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_access (
      case_id bigint not null references cases(id),
      organisation_id integer not null references organisations(id),
      reason text not null check (reason in ('forwarded','rerouted')),
      event_id bigint references case_events(id),
      granted_at timestamptz not null default now(),
      primary key (case_id, organisation_id)
    );
    create index case_access_organisation on case_access (organisation_id, case_id);

    create table responsibility_changes (
      id bigint generated always as identity primary key,
      responsibility_id integer not null references responsibilities(id) on delete cascade,
      action text not null check (action in ('created','updated','ended')),
      user_id integer references users(id),
      organisation_id integer references organisations(id),
      before jsonb,
      after jsonb not null,
      changed_at timestamptz not null default now()
    );
    create index responsibility_changes_responsibility on responsibility_changes (responsibility_id, id);

    alter table areas add column owner_organisation_id integer references organisations(id);
    create index cases_responsibility_requested on cases (responsibility_id, requested_at) where responsibility_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists cases_responsibility_requested;
    alter table areas drop column if exists owner_organisation_id;
    drop table if exists responsibility_changes, case_access;
  `.execute(db);
}
