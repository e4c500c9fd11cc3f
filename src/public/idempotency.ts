import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import { AppError, badInput } from '../shared/errors.js';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const IN_PROGRESS = 0;
const WAIT_MS = 15_000;

/**
 * Runs `work` at most once per Idempotency-Key and route: the first request claims the key, a repeat
 * (a double click, a retry after a lost answer) waits for it and gets the same response. A failed
 * request releases its key so a corrected retry can go ahead. Keys are kept for a day.
 */
export async function once(db: Kysely<Database>, key: string | undefined, route: string, work: () => Promise<StoredResponse>): Promise<StoredResponse & { replayed: boolean }> {
  if (key === undefined) return { ...(await work()), replayed: false };
  if (!/^[\w.:-]{8,200}$/.test(key)) throw badInput('Idempotency-Key', 'must be 8–200 letters, digits or - _ . :', 'ska vara 8–200 tecken: bokstäver, siffror eller - _ . :');
  await db.deleteFrom('idempotency_keys').where('created_at', '<', sql<Date>`now() - interval '1 day'`).execute();
  const claimed = await db.insertInto('idempotency_keys').values({ key, route, status_code: IN_PROGRESS, response: '{}' })
    .onConflict((oc) => oc.columns(['key', 'route']).doNothing()).returning('key').executeTakeFirst();
  if (claimed) {
    try {
      const result = await work();
      await db.updateTable('idempotency_keys').set({ status_code: result.status, response: JSON.stringify(result.body) })
        .where('key', '=', key).where('route', '=', route).execute();
      return { ...result, replayed: false };
    } catch (error) {
      await db.deleteFrom('idempotency_keys').where('key', '=', key).where('route', '=', route).execute();
      throw error;
    }
  }
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const row = await db.selectFrom('idempotency_keys').select(['status_code', 'response']).where('key', '=', key).where('route', '=', route).executeTakeFirst();
    if (!row) return once(db, key, route, work);
    if (row.status_code !== IN_PROGRESS) return { status: row.status_code, body: row.response, replayed: true };
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new AppError({ status: 409, code: 'in_progress', message: 'The same request is still being processed; try again in a moment',
    message_sv: 'Samma begäran behandlas fortfarande; försök igen om en stund' });
}
