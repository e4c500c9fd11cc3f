import { sql, type Kysely } from 'kysely';

/**
 * The staff queue and the Open311 list with a million cases (bench item 2).
 *
 * - `cases_org_requested`: the queue's default page (an organisation's cases, newest first, keyset on
 *   requested_at and id) is an index range, not a walk of the global time index filtered by organisation.
 * - `cases_municipality_requested` gains the id: the Open311 and public lists order by (requested_at, id).
 * - `cases_org_due` includes requested_at, so the at-risk and breached counts over an organisation's open
 *   cases are index-only scans.
 * - `case_events_public_notes`: a request's status_notes is its latest public event with text; a list of
 *   1 000 requests looks it up 1 000 times, which the whole (case_id, id) index answers only by reading
 *   every newer event.
 * - `case_status_counts`: cases per organisation and state, for the queue's counts per state, which would
 *   otherwise read every case the organisation ever had. Statement-level triggers (transition tables, as the
 *   statistics triggers of 0500) only ever insert delta rows, so concurrent changes never wait on a counter
 *   row; a reader sums the rows of its organisation, and compactCaseCounts (src/cases/counts.ts) folds them
 *   every minute. Being written in the same transaction as the cases, the sums are exactly what the reader's
 *   snapshot of cases holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index cases_org_requested on cases (organisation_id, requested_at desc, id desc);
    drop index cases_municipality_requested;
    create index cases_municipality_requested on cases (municipality_code, requested_at desc, id desc);
    drop index cases_org_due;
    create index cases_org_due on cases (organisation_id, sla_due_at) include (requested_at) where closed_at is null;
    create index case_events_public_notes on case_events (case_id, id) where visibility = 'public' and body is not null;

    create table case_status_counts (
      organisation_id integer not null,
      status text not null,
      n integer not null
    );
    create index case_status_counts_org on case_status_counts (organisation_id, status) include (n);

    create function case_counts_inserted() returns trigger language plpgsql as $$
    begin
      insert into case_status_counts (organisation_id, status, n)
        select organisation_id, status, count(*) from new_rows group by organisation_id, status;
      return null;
    end $$;
    create function case_counts_deleted() returns trigger language plpgsql as $$
    begin
      insert into case_status_counts (organisation_id, status, n)
        select organisation_id, status, -count(*) from old_rows group by organisation_id, status;
      return null;
    end $$;
    create function case_counts_updated() returns trigger language plpgsql as $$
    begin
      insert into case_status_counts (organisation_id, status, n)
        select organisation_id, status, sum(d) from (
          select organisation_id, status, 1 as d from new_rows
          union all
          select organisation_id, status, -1 as d from old_rows
        ) changed
        group by organisation_id, status having sum(d) <> 0;
      return null;
    end $$;
    create trigger cases_counts_inserted after insert on cases
      referencing new table as new_rows for each statement execute function case_counts_inserted();
    create trigger cases_counts_updated after update on cases
      referencing old table as old_rows new table as new_rows for each statement execute function case_counts_updated();
    create trigger cases_counts_deleted after delete on cases
      referencing old table as old_rows for each statement execute function case_counts_deleted();

    insert into case_status_counts (organisation_id, status, n)
      select organisation_id, status, count(*) from cases group by organisation_id, status;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists cases_counts_inserted on cases;
    drop trigger if exists cases_counts_updated on cases;
    drop trigger if exists cases_counts_deleted on cases;
    drop function if exists case_counts_inserted(), case_counts_updated(), case_counts_deleted();
    drop table if exists case_status_counts;
    drop index if exists case_events_public_notes;
    drop index if exists cases_org_requested;
    drop index if exists cases_municipality_requested;
    create index cases_municipality_requested on cases (municipality_code, requested_at desc);
    drop index if exists cases_org_due;
    create index cases_org_due on cases (organisation_id, sla_due_at) where closed_at is null;
  `.execute(db);
}
