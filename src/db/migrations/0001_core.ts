import { sql, type Kysely } from 'kysely';

/**
 * The core data model (see README "Data model"). Constraints live here, not only in code.
 * Large tables (cases, case_events, reporters, attachments, assets) carry organisation_id,
 * the key a distributed PostgreSQL (Citus) would shard them by.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table counties (
      code text primary key check (code ~ '^[0-9]{2}$'),
      name text not null,
      name_short text not null
    );
    create table municipalities (
      code text primary key check (code ~ '^[0-9]{4}$'),
      name text not null,
      name_short text not null,
      county_code text not null references counties(code),
      population_2016 integer check (population_2016 >= 0),
      land_area_km2 double precision
    );
    create table postal_codes (
      postal_code text primary key check (postal_code ~ '^[0-9]{5}$'),
      locality text not null,
      municipality_code text not null references municipalities(code)
    );
    create index postal_codes_municipality on postal_codes (municipality_code);

    create table organisations (
      id integer generated always as identity primary key,
      slug text not null unique check (slug ~ '^[a-z0-9-]+$'),
      kind text not null check (kind in ('municipality','joint_service','state_agency','contractor','region')),
      name_sv text not null,
      name_en text not null,
      case_prefix text not null unique check (case_prefix ~ '^[A-Z]{2,6}$'),
      municipality_code text unique references municipalities(code),
      host_organisation_id integer references organisations(id),
      contact_email text,
      contact_phone text,
      website text,
      created_at timestamptz not null default now(),
      check (kind <> 'municipality' or municipality_code is not null)
    );
    create table units (
      id integer generated always as identity primary key,
      organisation_id integer not null references organisations(id) on delete cascade,
      name_sv text not null,
      name_en text not null,
      is_default boolean not null default false
    );
    create unique index units_one_default on units (organisation_id) where is_default;

    create table users (
      id integer generated always as identity primary key,
      email text not null unique check (email = lower(email) and position('@' in email) > 1),
      display_name text not null,
      password_hash text,
      locale text not null default 'sv' check (locale in ('sv','en')),
      created_at timestamptz not null default now(),
      disabled_at timestamptz
    );
    create table memberships (
      user_id integer not null references users(id) on delete cascade,
      organisation_id integer not null references organisations(id) on delete cascade,
      role text not null check (role in ('agent','handler','supervisor','admin','contractor')),
      unit_id integer references units(id),
      primary key (user_id, organisation_id)
    );
    create index memberships_organisation on memberships (organisation_id);

    create table areas (
      id integer generated always as identity primary key,
      kind text not null check (kind in ('municipality','district','road_corridor','custom')),
      code text not null,
      name text not null,
      municipality_code text references municipalities(code),
      geometry jsonb not null check (geometry->>'type' in ('Polygon','MultiPolygon')),
      min_lon double precision not null,
      min_lat double precision not null,
      max_lon double precision not null,
      max_lat double precision not null,
      updated_at timestamptz not null default now(),
      unique (kind, code),
      check (min_lon <= max_lon and min_lat <= max_lat)
    );

    create table service_groups (
      code text primary key check (code ~ '^[a-z0-9_-]+$'),
      name_sv text not null,
      name_en text not null,
      sort_order integer not null default 0
    );
    create table services (
      id integer generated always as identity primary key,
      service_code text not null unique check (service_code ~ '^[a-z0-9_-]+$'),
      group_code text not null references service_groups(code),
      name_sv text not null,
      name_en text not null,
      description_sv text not null default '',
      description_en text not null default '',
      keywords_sv text[] not null default '{}',
      keywords_en text[] not null default '{}',
      attributes jsonb not null default '[]' check (jsonb_typeof(attributes) = 'array'),
      default_priority smallint not null default 2 check (default_priority between 1 and 3),
      sla_tiers jsonb not null default '{}' check (jsonb_typeof(sla_tiers) = 'object'),
      retention_class text not null default 'standard',
      sensitive_location boolean not null default false,
      knowledge_sv text not null default '',
      knowledge_en text not null default '',
      active boolean not null default true,
      sort_order integer not null default 0
    );

    create table responsibilities (
      id integer generated always as identity primary key,
      provider_organisation_id integer not null references organisations(id),
      kind text not null check (kind in ('own','agreement','state','contract')),
      reference text,
      title text not null default '',
      valid_from date not null default date '2000-01-01',
      valid_to date,
      all_services boolean not null default false,
      receiving_unit_id integer references units(id),
      open311_forward jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (valid_to is null or valid_to >= valid_from)
    );
    create table responsibility_areas (
      responsibility_id integer not null references responsibilities(id) on delete cascade,
      area_id integer not null references areas(id),
      primary key (responsibility_id, area_id)
    );
    create index responsibility_areas_area on responsibility_areas (area_id);
    create table responsibility_services (
      id integer generated always as identity primary key,
      responsibility_id integer not null references responsibilities(id) on delete cascade,
      service_id integer references services(id),
      group_code text references service_groups(code),
      check ((service_id is null) <> (group_code is null))
    );
    create index responsibility_services_responsibility on responsibility_services (responsibility_id);

    create table reporters (
      id bigint generated always as identity primary key,
      organisation_id integer not null references organisations(id),
      name text,
      email text,
      phone text,
      device_id text,
      account_id text,
      locale text not null default 'sv',
      created_at timestamptz not null default now(),
      anonymised_at timestamptz
    );
    create index reporters_email on reporters (lower(email)) where email is not null;

    create table assets (
      id bigint generated always as identity primary key,
      organisation_id integer not null references organisations(id),
      responsible_organisation_id integer not null references organisations(id),
      type text not null check (type ~ '^[a-z0-9_]+$'),
      code text not null,
      name text not null default '',
      lat double precision not null check (lat between -90 and 90),
      lon double precision not null check (lon between -180 and 180),
      geometry jsonb,
      attributes jsonb not null default '{}',
      state text not null default 'in_use' check (state in ('in_use','out_of_use')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (organisation_id, code)
    );

    create table api_keys (
      id integer generated always as identity primary key,
      name text not null,
      key_prefix text not null,
      key_hash text not null unique,
      organisation_id integer references organisations(id),
      rate_limit_per_minute integer not null default 600 check (rate_limit_per_minute > 0),
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    );

    create table case_number_counters (
      prefix text not null,
      year integer not null,
      last_number integer not null,
      primary key (prefix, year)
    );

    create table cases (
      id bigint generated always as identity primary key,
      public_id text not null unique,
      organisation_id integer not null references organisations(id),
      unit_id integer references units(id),
      assignee_user_id integer references users(id),
      contractor_organisation_id integer references organisations(id),
      municipality_code text not null references municipalities(code),
      service_id integer not null references services(id),
      status text not null check (status in ('submitted','confirmed','investigating','in_progress',
        'action_scheduled','fixed','closed','duplicate','forwarded','no_further_action','reopened')),
      priority smallint not null check (priority between 1 and 3),
      channel text not null check (channel in ('web','app','open311','phone','email','visit','alarm','import','staff')),
      title text,
      description text not null default '',
      lat double precision check (lat between -90 and 90),
      lon double precision check (lon between -180 and 180),
      address text,
      postal_code text,
      asset_id bigint references assets(id),
      attributes jsonb not null default '{}' check (jsonb_typeof(attributes) = 'object'),
      media_url text,
      responsibility_id integer references responsibilities(id),
      routing jsonb not null,
      reporter_id bigint references reporters(id),
      confidential boolean not null default false,
      sla_due_at timestamptz,
      requested_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz,
      version integer not null default 1,
      duplicate_of_case_id bigint references cases(id),
      external_source text,
      external_id text,
      api_key_id integer references api_keys(id),
      follow_token text not null unique,
      resolved_at_first_contact boolean not null default false,
      reopen_count integer not null default 0,
      as_received jsonb not null,
      check ((lat is null) = (lon is null)),
      check ((external_source is null) = (external_id is null))
    );
    create unique index cases_external on cases (external_source, external_id) where external_id is not null;
    create index cases_org_status_requested on cases (organisation_id, status, requested_at desc);
    create index cases_municipality_requested on cases (municipality_code, requested_at desc);
    create index cases_requested on cases (requested_at desc, id desc);
    create index cases_updated on cases (updated_at desc, id desc);
    create index cases_service_location on cases (service_id, lat, lon);
    create index cases_asset on cases (asset_id) where asset_id is not null;

    create table case_events (
      id bigint generated always as identity primary key,
      case_id bigint not null references cases(id),
      organisation_id integer not null references organisations(id),
      kind text not null,
      visibility text not null check (visibility in ('public','internal')),
      actor_user_id integer references users(id),
      actor_organisation_id integer references organisations(id),
      actor_label text,
      body text,
      status_after text,
      data jsonb not null default '{}',
      external_update_id text,
      created_at timestamptz not null default now()
    );
    create index case_events_case on case_events (case_id, id);
    create index case_events_public_created on case_events (created_at, id) where visibility = 'public';
    create unique index case_events_external on case_events (case_id, external_update_id) where external_update_id is not null;

    create table attachments (
      id bigint generated always as identity primary key,
      case_id bigint not null references cases(id),
      organisation_id integer not null references organisations(id),
      event_id bigint references case_events(id),
      storage_key text not null unique,
      content_type text not null check (content_type in ('image/jpeg','image/png','image/webp')),
      bytes integer not null check (bytes > 0),
      width integer,
      height integer,
      visibility text not null default 'public' check (visibility in ('public','internal')),
      created_at timestamptz not null default now(),
      disposed_at timestamptz
    );
    create index attachments_case on attachments (case_id);

    create table sessions (
      id_hash text primary key,
      user_id integer not null references users(id) on delete cascade,
      active_organisation_id integer references organisations(id),
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_user on sessions (user_id);

    create table login_attempts (
      id bigint generated always as identity primary key,
      email text not null,
      ip text not null,
      succeeded boolean not null,
      attempted_at timestamptz not null default now()
    );
    create index login_attempts_email_time on login_attempts (email, attempted_at desc);
    create index login_attempts_ip_time on login_attempts (ip, attempted_at desc);

    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table if exists settings, login_attempts, sessions, attachments, case_events, cases, case_number_counters, api_keys, assets,
      reporters, responsibility_services, responsibility_areas, responsibilities, services, service_groups,
      areas, memberships, users, units, organisations, postal_codes, municipalities, counties cascade;
  `.execute(db);
}
