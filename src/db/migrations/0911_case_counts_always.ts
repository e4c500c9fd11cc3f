import { sql, type Kysely } from 'kysely';

/**
 * The queue's per-state counts (0820) must see what the bulk import writes, like the statistics (0810): the import
 * runs its batches with `session_replication_role = replica`, under which ordinary triggers do not fire.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases enable always trigger cases_counts_inserted;
    alter table cases enable always trigger cases_counts_updated;
    alter table cases enable always trigger cases_counts_deleted;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases enable trigger cases_counts_inserted;
    alter table cases enable trigger cases_counts_updated;
    alter table cases enable trigger cases_counts_deleted;
  `.execute(db);
}
