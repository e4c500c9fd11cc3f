import { sql, type Kysely } from 'kysely';

/**
 * The bulk import writes its batches with `session_replication_role = replica` set for its own transaction, so
 * that per-row foreign-key triggers are replaced by one check per batch (src/import/writer.ts). The statistics
 * triggers must still mark what a statement touched, so they fire in every session role (ENABLE ALWAYS); in an
 * ordinary session nothing changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases enable always trigger cases_stats_inserted;
    alter table cases enable always trigger cases_stats_updated;
    alter table cases enable always trigger cases_stats_deleted;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table cases enable trigger cases_stats_inserted;
    alter table cases enable trigger cases_stats_updated;
    alter table cases enable trigger cases_stats_deleted;
  `.execute(db);
}
