import { sql, type Kysely } from 'kysely';

/**
 * Case handling: saved queue views and indexes for the staff queue, SLA lists, contractor work orders and duplicate search.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table saved_views (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisations(id) on delete cascade,
      user_id integer not null references users(id) on delete cascade,
      name text not null check (length(name) between 1 and 80),
      filters jsonb not null default '{}' check (jsonb_typeof(filters) = 'object'),
      shared boolean not null default false,
      created_at timestamptz not null default now(),
      unique (organisation_id, user_id, name)
    );
    create index saved_views_org on saved_views (organisation_id);

    create index cases_org_due on cases (organisation_id, sla_due_at) where closed_at is null;
    create index cases_contractor on cases (contractor_organisation_id, status) where contractor_organisation_id is not null;
    create index cases_assignee on cases (assignee_user_id) where assignee_user_id is not null;
    create index cases_duplicate_of on cases (duplicate_of_case_id) where duplicate_of_case_id is not null;
    create index if not exists cases_lat_lon on cases (lat, lon) where lat is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists cases_org_due, cases_contractor, cases_assignee, cases_duplicate_of, cases_lat_lon;
    drop table if exists saved_views;
  `.execute(db);
}
