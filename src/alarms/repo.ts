import type { Insertable, Kysely } from 'kysely';
import type { AlarmsTable, Database } from '../db/types.js';

/** The alarm row of a source's alarm id, locked for this transaction. */
export async function findAlarmForUpdate(trx: Kysely<Database>, organisationId: number, source: string, sourceAlarmId: string) {
  return trx
    .selectFrom('alarms')
    .select(['id', 'case_id', 'messages', 'state'])
    .where('organisation_id', '=', organisationId)
    .where('source', '=', source)
    .where('source_alarm_id', '=', sourceAlarmId)
    .forUpdate()
    .executeTakeFirst();
}

/** Records the alarm that opened a case. */
export async function insertAlarm(trx: Kysely<Database>, values: Insertable<AlarmsTable>): Promise<void> {
  await trx.insertInto('alarms').values(values).execute();
}

/** Records a repeat: state, severity, count and time. */
export async function updateAlarm(
  trx: Kysely<Database>, id: number,
  v: { state: 'raised' | 'cleared'; severity: AlarmsTable['severity']; alarm_type: string; messages: number; cleared_at: Date | null },
): Promise<void> {
  await trx.updateTable('alarms').set({ ...v, last_received_at: new Date() }).where('id', '=', id).execute();
}

/** Whether the organisation wants a cleared alarm to mark its case fixed (off unless set). */
export async function clearSetsFixed(db: Kysely<Database>, organisationId: number): Promise<boolean> {
  const row = await db.selectFrom('alarm_settings').select('clear_sets_fixed').where('organisation_id', '=', organisationId).executeTakeFirst();
  return row?.clear_sets_fixed ?? false;
}

/** Sets whether a cleared alarm marks the organisation's cases fixed. */
export async function setClearSetsFixed(db: Kysely<Database>, organisationId: number, value: boolean): Promise<void> {
  await db
    .insertInto('alarm_settings')
    .values({ organisation_id: organisationId, clear_sets_fixed: value })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ clear_sets_fixed: value, updated_at: new Date() }))
    .execute();
}

/** True when the organisation is the municipality with this kommunkod. */
export async function isOrganisationOfMunicipality(db: Kysely<Database>, organisationId: number, municipalityCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', organisationId)
    .where('kind', '=', 'municipality')
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  return !!row;
}

/** The alarms of a case, for the case and asset pages. */
export async function alarmsOfCase(db: Kysely<Database>, caseId: number) {
  return db
    .selectFrom('alarms')
    .select(['source', 'source_alarm_id', 'alarm_type', 'severity', 'state', 'messages', 'first_received_at', 'last_received_at', 'cleared_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}
