import type { Config } from './config.js';
import type { AppContext } from './app-context.js';
import { openDatabase, type DatabaseHandle } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { loadReferenceData } from './reference/load.js';
import { loadNationalCatalogue } from './catalogue/load.js';
import { ReferenceCache } from './shared/reference-cache.js';
import { RoutingService } from './routing/service.js';
import { CaseService } from './cases/service.js';
// Registers the case effect that writes every case event to the audit log.
import './audit/service.js';
// Registers the delivery of "a case arrived from another body" e-mails.
import './notify/organisation-mail.js';
import { installOpen311Forwarding } from './open311/forward.js';

export interface OpenedContext {
  ctx: AppContext;
  handle: DatabaseHandle;
  migrated: string[];
  referenceLoaded: boolean;
}

/** True once the 290 municipalities are in the database. */
async function hasReferenceData(handle: DatabaseHandle): Promise<boolean> {
  const row = await handle.db.selectFrom('municipalities').select(handle.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n) >= 290;
}

/**
 * Opens the database named by the config, applies migrations, loads reference data and the national
 * catalogue when missing, and builds the services every module uses.
 */
export async function openContext(config: Config, opts: { handle?: DatabaseHandle } = {}): Promise<OpenedContext> {
  const handle = opts.handle ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir }));
  try {
    const { migrated, referenceLoaded } = await handle.exclusive(async () => {
      const applied = await migrateToLatest(handle.db);
      const missing = !(await hasReferenceData(handle));
      if (missing) await loadReferenceData(handle.db);
      await loadNationalCatalogue(handle.db);
      return { migrated: applied, referenceLoaded: missing };
    });
    installOpen311Forwarding();
    const routing = new RoutingService(handle.db);
    const reference = new ReferenceCache();
    await routing.refresh();
    const ctx: AppContext = {
      db: handle.db,
      dbKind: handle.kind,
      config,
      routing,
      reference,
      cases: new CaseService(handle.db, routing, reference),
    };
    return { ctx, handle, migrated, referenceLoaded };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
