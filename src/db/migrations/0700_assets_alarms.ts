import { sql, type Kysely } from 'kysely';

/**
 * Assets (the table is in 0001) get the indexes their map and routing queries need; operational
 * alarms get their own table mapping a source system's alarm id to the one case it opened. The
 * unique key is what makes repeated or parallel alarms with the same id update one case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index assets_type_location on assets (type, lat, lon);
    create index assets_location on assets (lat, lon);
    create index assets_responsible on assets (responsible_organisation_id);
    create index assets_code on assets (code);

    create table alarms (
      id bigint generated always as identity primary key,
      organisation_id integer not null references organisations(id),
      source text not null check (length(source) between 1 and 100),
      source_alarm_id text not null check (length(source_alarm_id) between 1 and 200),
      case_id bigint not null references cases(id),
      asset_id bigint references assets(id),
      api_key_id integer references api_keys(id),
      alarm_type text not null,
      severity text not null check (severity in ('critical','major','minor','warning')),
      state text not null check (state in ('raised','cleared')),
      messages integer not null default 1 check (messages > 0),
      first_received_at timestamptz not null default now(),
      last_received_at timestamptz not null default now(),
      cleared_at timestamptz,
      unique (organisation_id, source, source_alarm_id)
    );
    create index alarms_case on alarms (case_id);

    create table alarm_settings (
      organisation_id integer primary key references organisations(id),
      clear_sets_fixed boolean not null default false,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists alarm_settings, alarms;
    drop index if exists assets_type_location, assets_location, assets_responsible, assets_code;
  `.execute(db);
}
