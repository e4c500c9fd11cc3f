import { sql, type Kysely } from 'kysely';

/**
 * Retention (gallring): how long personal data and photos of closed cases are kept, per retention class
 * and organisation, a legal hold that stops disposal, and a record of every disposal (the law asks that
 * what was disposed of, when and by which decision can be shown afterwards).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table retention_policies (
      id integer generated always as identity primary key,
      organisation_id integer references organisations(id),
      retention_class text not null,
      anonymise_after_days integer not null check (anonymise_after_days >= 0),
      dispose_photos_after_days integer not null check (dispose_photos_after_days >= 0),
      decision_reference text not null
    );
    create unique index retention_policies_scope on retention_policies (coalesce(organisation_id, 0), retention_class);
    insert into retention_policies (organisation_id, retention_class, anonymise_after_days, dispose_photos_after_days, decision_reference) values
      (null, 'short', 90, 90, 'Standard: gallras 3 månader efter avslut'),
      (null, 'standard', 365, 730, 'Standard: personuppgifter gallras 1 år, foton 2 år efter avslut'),
      (null, 'long', 1825, 3650, 'Standard: personuppgifter gallras 5 år, foton 10 år efter avslut');

    alter table cases add column legal_hold boolean not null default false;
    alter table cases add column legal_hold_reason text;
    create index cases_closed_for_retention on cases (closed_at) where closed_at is not null;

    create table disposal_records (
      id bigint generated always as identity primary key,
      case_id bigint not null references cases(id),
      organisation_id integer not null references organisations(id),
      disposed_at timestamptz not null,
      what text not null check (what in ('reporter_data','photos')),
      items integer not null,
      decision_reference text not null
    );
    create index disposal_records_case on disposal_records (case_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists disposal_records;
    drop index if exists cases_closed_for_retention;
    alter table cases drop column if exists legal_hold_reason;
    alter table cases drop column if exists legal_hold;
    drop table if exists retention_policies;
  `.execute(db);
}
