import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { AppContext } from '../app-context.js';
import { storedPath } from '../attachments/store.js';
import { appendAudit } from '../audit/service.js';

export interface RetentionRun {
  anonymisedCases: number;
  disposedPhotos: number;
  heldBack: number;
}

const DAY = 86_400_000;

/** The policy for each (organisation, class): the organisation's own if it has one, else the platform default. */
async function policies(db: Kysely<Database>) {
  return db.selectFrom('retention_policies').selectAll().execute();
}

/**
 * Disposes of what the retention rules say is due at `now`: reporter data and followers' e-mail
 * addresses of cases closed longer than the class allows, and their photos. Cases under legal hold are
 * skipped. Each disposal writes a disposal record and an audit entry in the same transaction.
 */
export async function runRetention(ctx: AppContext, now: Date = new Date()): Promise<RetentionRun> {
  const run: RetentionRun = { anonymisedCases: 0, disposedPhotos: 0, heldBack: 0 };
  const all = await policies(ctx.db);
  const classes = [...new Set(all.map((p) => p.retention_class))];
  for (const retentionClass of classes) {
    const defaults = all.find((p) => p.organisation_id === null && p.retention_class === retentionClass);
    const own = all.filter((p) => p.organisation_id !== null && p.retention_class === retentionClass);
    for (const policy of [...own, ...(defaults ? [defaults] : [])]) {
      const orgFilter = policy.organisation_id === null ? own.map((p) => p.organisation_id!) : null;
      const base = ctx.db
        .selectFrom('cases')
        .innerJoin('services', 'services.id', 'cases.service_id')
        .select(['cases.id', 'cases.public_id', 'cases.organisation_id', 'cases.reporter_id', 'cases.legal_hold'])
        .where('services.retention_class', '=', retentionClass)
        .where('cases.closed_at', 'is not', null)
        .$if(policy.organisation_id !== null, (q) => q.where('cases.organisation_id', '=', policy.organisation_id!))
        .$if(!!orgFilter?.length, (q) => q.where('cases.organisation_id', 'not in', orgFilter!));
      const personalDue = await base
        .where('cases.closed_at', '<=', new Date(now.getTime() - policy.anonymise_after_days * DAY))
        .where((eb) => eb.or([
          eb.exists(eb.selectFrom('reporters').select('reporters.id').whereRef('reporters.id', '=', 'cases.reporter_id').where('reporters.anonymised_at', 'is', null)),
          eb.exists(eb.selectFrom('case_followers').select('case_followers.id').whereRef('case_followers.case_id', '=', 'cases.id')),
        ]))
        .execute();
      for (const kase of personalDue) {
        if (kase.legal_hold) {
          run.heldBack++;
          continue;
        }
        await ctx.db.transaction().execute(async (trx) => {
          let items = 0;
          if (kase.reporter_id) {
            const r = await trx
              .updateTable('reporters')
              .set({ name: null, email: null, phone: null, device_id: null, account_id: null, anonymised_at: now })
              .where('id', '=', kase.reporter_id)
              .where('anonymised_at', 'is', null)
              .executeTakeFirst();
            items += Number(r.numUpdatedRows);
          }
          const f = await trx.deleteFrom('case_followers').where('case_id', '=', kase.id).executeTakeFirst();
          items += Number(f.numDeletedRows);
          await trx.insertInto('disposal_records').values({ case_id: kase.id, organisation_id: kase.organisation_id, disposed_at: now, what: 'reporter_data', items, decision_reference: policy.decision_reference }).execute();
          await appendAudit(trx, { chain: kase.organisation_id, actor_label: 'gallring', action: 'retention.reporter_data', subject_type: 'case', subject_id: kase.public_id, details: { items, decision: policy.decision_reference } });
        });
        run.anonymisedCases++;
      }
      const photosDue = await base
        .where('cases.closed_at', '<=', new Date(now.getTime() - policy.dispose_photos_after_days * DAY))
        .where((eb) => eb.exists(eb.selectFrom('attachments').select('attachments.id').whereRef('attachments.case_id', '=', 'cases.id').where('attachments.disposed_at', 'is', null)))
        .execute();
      for (const kase of photosDue) {
        if (kase.legal_hold) {
          run.heldBack++;
          continue;
        }
        const keys = await ctx.db.transaction().execute(async (trx) => {
          const disposed = await trx
            .updateTable('attachments')
            .set({ disposed_at: now })
            .where('case_id', '=', kase.id)
            .where('disposed_at', 'is', null)
            .returning('storage_key')
            .execute();
          await trx.insertInto('disposal_records').values({ case_id: kase.id, organisation_id: kase.organisation_id, disposed_at: now, what: 'photos', items: disposed.length, decision_reference: policy.decision_reference }).execute();
          await appendAudit(trx, { chain: kase.organisation_id, actor_label: 'gallring', action: 'retention.photos', subject_type: 'case', subject_id: kase.public_id, details: { items: disposed.length, decision: policy.decision_reference } });
          return disposed.map((d) => d.storage_key);
        });
        // Files go after the commit: a crash in between leaves an orphan file, never a record pointing at nothing.
        for (const key of keys) fs.rmSync(storedPath(ctx.config.dataDir, key), { force: true });
        run.disposedPhotos += keys.length;
      }
    }
  }
  return run;
}

/** Runs retention once a day; a transaction-level advisory lock keeps several processes from running it twice. */
export function scheduleRetention(ctx: AppContext, log: (message: string) => void): { stop(): void } {
  const tick = async () => {
    const ran = await ctx.db.transaction().execute(async (trx) => {
      const locked = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(7312) as ok`.execute(trx);
      if (!locked.rows[0]?.ok) return false;
      const last = await trx.selectFrom('settings').select('value').where('key', '=', 'retention_last_run').executeTakeFirst();
      if (last && Date.now() - Date.parse(String(last.value)) < DAY) return false;
      await trx
        .insertInto('settings')
        .values({ key: 'retention_last_run', value: JSON.stringify(new Date().toISOString()) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(new Date().toISOString()), updated_at: new Date() }))
        .execute();
      return true;
    });
    if (!ran) return;
    const result = await runRetention(ctx);
    log(`retention: ${result.anonymisedCases} cases anonymised, ${result.disposedPhotos} photos disposed, ${result.heldBack} held back`);
  };
  const run = () => void tick().catch((e) => log(`retention failed: ${(e as Error).message}`));
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, 3600_000);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
