import { sql, type Kysely } from 'kysely';

/**
 * Pre-aggregated statistics (see src/statistics/README section in the project README). Cases are
 * counted by municipality × month (Swedish time, by the month the case came in) × service × channel,
 * and times to close go into a log-scale histogram per municipality × month × service, so that
 * comparisons over millions of cases read a few thousand rows. Triggers on `cases` mark the
 * (municipality, month) groups a statement touched as dirty; the refresh recomputes only those.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table stats_monthly (
      municipality_code text not null references municipalities(code),
      month date not null,
      service_id integer not null references services(id),
      channel text not null,
      cases integer not null,
      closed integer not null,
      sla_due integer not null,
      sla_met integer not null,
      first_contact integer not null,
      reopened integer not null,
      primary key (municipality_code, month, service_id, channel)
    );
    create table stats_close_hist (
      municipality_code text not null references municipalities(code),
      month date not null,
      service_id integer not null references services(id),
      bucket smallint not null check (bucket >= 0),
      n integer not null,
      primary key (municipality_code, month, service_id, bucket)
    );
    create table stats_dirty (
      municipality_code text not null,
      month date not null,
      primary key (municipality_code, month)
    );

    create function stats_mark_inserted() returns trigger language plpgsql as $$
    begin
      insert into stats_dirty (municipality_code, month)
        select distinct n.municipality_code, date_trunc('month', n.requested_at at time zone 'Europe/Stockholm')::date from new_rows n
        on conflict do nothing;
      return null;
    end $$;
    create function stats_mark_updated() returns trigger language plpgsql as $$
    begin
      insert into stats_dirty (municipality_code, month)
        select n.municipality_code, date_trunc('month', n.requested_at at time zone 'Europe/Stockholm')::date from new_rows n
        union
        select o.municipality_code, date_trunc('month', o.requested_at at time zone 'Europe/Stockholm')::date from old_rows o
        on conflict do nothing;
      return null;
    end $$;
    create trigger cases_stats_inserted after insert on cases
      referencing new table as new_rows for each statement execute function stats_mark_inserted();
    create trigger cases_stats_updated after update on cases
      referencing old table as old_rows new table as new_rows for each statement execute function stats_mark_updated();
    create trigger cases_stats_deleted after delete on cases
      referencing old table as new_rows for each statement execute function stats_mark_inserted();

    insert into stats_dirty (municipality_code, month)
      select distinct municipality_code, date_trunc('month', requested_at at time zone 'Europe/Stockholm')::date from cases
      on conflict do nothing;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists cases_stats_inserted on cases;
    drop trigger if exists cases_stats_updated on cases;
    drop trigger if exists cases_stats_deleted on cases;
    drop function if exists stats_mark_inserted(), stats_mark_updated();
    drop table if exists stats_monthly, stats_close_hist, stats_dirty;
  `.execute(db);
}
