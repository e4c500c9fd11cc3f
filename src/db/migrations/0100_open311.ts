import { sql, type Kysely } from 'kysely';

/**
 * Open311: cases forwarded to another system's GeoReport v2 endpoint (one row per case, with the remote id
 * and where polling for its updates stands), and the indexes the public request and update feeds use.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table open311_forwards (
      case_id bigint primary key references cases(id),
      organisation_id integer not null references organisations(id),
      responsibility_id integer not null references responsibilities(id),
      endpoint text not null,
      jurisdiction_id text,
      remote_service_request_id text,
      remote_token text,
      state text not null default 'pending' check (state in ('pending','sent','failed')),
      last_error text,
      sent_at timestamptz,
      last_polled_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index open311_forwards_sent on open311_forwards (endpoint, remote_service_request_id) where state = 'sent';
    create index cases_municipality_updated on cases (municipality_code, updated_at desc, id desc);
    create index if not exists cases_lat_lon on cases (lat, lon) where lat is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index if exists cases_lat_lon;
    drop index if exists cases_municipality_updated;
    drop table if exists open311_forwards;
  `.execute(db);
}
