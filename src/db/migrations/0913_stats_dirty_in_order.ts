import { sql, type Kysely } from 'kysely';

/**
 * The statistics triggers (0500) mark (municipality, month) pairs dirty in key order. One statement may now
 * store cases of many municipalities (the intakes' group commit); two such transactions marking new pairs in
 * different orders would each wait on the other's uncommitted row, a deadlock that PostgreSQL breaks after a
 * second by failing one of them.
 */
/** The two trigger functions of 0500; `ordered` adds the key order (up), without it they are as 0500 made them (down). */
function markDirtyFunctions(ordered: boolean) {
  const order = sql.raw(ordered ? 'order by 1, 2' : '');
  return sql`
    create or replace function stats_mark_inserted() returns trigger language plpgsql as $$
    begin
      insert into stats_dirty (municipality_code, month)
        select distinct n.municipality_code, date_trunc('month', n.requested_at at time zone 'Europe/Stockholm')::date from new_rows n
        ${order}
        on conflict do nothing;
      return null;
    end $$;
    create or replace function stats_mark_updated() returns trigger language plpgsql as $$
    begin
      insert into stats_dirty (municipality_code, month)
        select municipality_code, month from (
          select n.municipality_code, date_trunc('month', n.requested_at at time zone 'Europe/Stockholm')::date as month from new_rows n
          union
          select o.municipality_code, date_trunc('month', o.requested_at at time zone 'Europe/Stockholm')::date from old_rows o
        ) changed
        ${order}
        on conflict do nothing;
      return null;
    end $$;
  `;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await markDirtyFunctions(true).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await markDirtyFunctions(false).execute(db);
}
