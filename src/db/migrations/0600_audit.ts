import { sql, type Kysely } from 'kysely';

/**
 * The audit log is append-only and hash-chained per organisation: the database itself refuses UPDATE,
 * DELETE and TRUNCATE, and `audit verify` recomputes every chain to find tampering done around the trigger.
 * The case "as received" is likewise refused any change, except by the retention job (which sets
 * ingang.retention for its transaction) when the law requires personal data to be removed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      chain integer not null,
      seq bigint not null,
      occurred_at timestamptz not null,
      actor_user_id integer,
      actor_label text,
      action text not null,
      subject_type text not null,
      subject_id text not null,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null,
      unique (chain, seq)
    );
    create index audit_log_subject on audit_log (subject_type, subject_id);

    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is refused', tg_op using errcode = '42501';
    end $$;
    create trigger audit_log_no_update_or_delete before update or delete on audit_log
      for each row execute function audit_log_refuse_change();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_refuse_change();

    create function cases_keep_as_received() returns trigger language plpgsql as $$
    begin
      if new.as_received is distinct from old.as_received and coalesce(current_setting('ingang.retention', true), '') <> 'on' then
        raise exception 'cases.as_received keeps the case as it was received and cannot be changed' using errcode = '42501';
      end if;
      return new;
    end $$;
    create trigger cases_as_received_immutable before update of as_received on cases
      for each row execute function cases_keep_as_received();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists cases_as_received_immutable on cases;
    drop function if exists cases_keep_as_received();
    drop table if exists audit_log;
    drop function if exists audit_log_refuse_change();
  `.execute(db);
}
