import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { AppError, notFound } from '../shared/errors.js';
import type { StaffActor } from './scope.js';

/** Saved queue views of the active organisation: my own and those colleagues shared. */
export async function listViews(db: Kysely<Database>, staff: StaffActor) {
  const rows = await db.selectFrom('saved_views').selectAll().where('organisation_id', '=', staff.organisationId)
    .where((eb) => eb.or([eb('user_id', '=', staff.userId), eb('shared', '=', true)])).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, filters: r.filters, shared: r.shared, mine: r.user_id === staff.userId }));
}

/** Saves (or replaces, by name) one of my views. */
export async function saveView(db: Kysely<Database>, staff: StaffActor, input: { name: string; filters: Record<string, unknown>; shared?: boolean }) {
  const name = input.name.trim();
  if (!name) throw new AppError({ status: 400, code: 'invalid_field', field: 'name', message: 'name: must not be empty', message_sv: 'name: får inte vara tomt' });
  const { cursor: _ignored, ...filters } = input.filters;
  const row = await db.insertInto('saved_views')
    .values({ organisation_id: staff.organisationId, user_id: staff.userId, name, filters: JSON.stringify(filters), shared: input.shared ?? false })
    .onConflict((oc) => oc.columns(['organisation_id', 'user_id', 'name']).doUpdateSet({ filters: JSON.stringify(filters), shared: input.shared ?? false }))
    .returningAll().executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, filters: row.filters, shared: row.shared, mine: true };
}

/** Deletes one of my views; others' views are "not found". */
export async function deleteView(db: Kysely<Database>, staff: StaffActor, id: number): Promise<void> {
  const res = await db.deleteFrom('saved_views').where('id', '=', id).where('organisation_id', '=', staff.organisationId)
    .where('user_id', '=', staff.userId).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw notFound('view', id);
}
