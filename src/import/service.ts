import type pg from 'pg';
import type { AppContext } from '../app-context.js';
import { appendAudit, PLATFORM_CHAIN } from '../audit/service.js';
import { casePrefixOf } from '../cases/repo.js';
import { badInput } from '../shared/errors.js';
import type { ImportMapping } from './mapping.js';
import { BatchScheduler } from './batches.js';
import { Preparer, type RowError } from './prepare.js';
import type { Source } from './sources.js';
import { BulkWriter } from './writer.js';

/**
 * Cases written per transaction: large enough that the per-batch statements cost little per row and a batch's
 * index entries lie close together, small enough that a failed batch costs a short re-run and memory stays modest.
 */
export const IMPORT_BATCH = 25_000;

/**
 * Connections writing batches side by side on a PostgreSQL server: the per-row index work is the server's largest
 * cost, and one connection uses one core. PGlite is one connection.
 */
const WRITERS = 2;

/** Records prepared between two turns of the event loop. */
const YIELD_EVERY = 200;

/** What an import needs: the app's database and routing, and the pool under it (COPY needs a client of its own). */
export type ImportDeps = Pick<AppContext, 'db' | 'dbKind' | 'routing'> & { pool: pg.Pool };

/** What an import did. */
export interface ImportSummary {
  source: string;
  read: number;
  imported: number;
  skipped: number;
  errors: RowError[];
}

/**
 * Imports a source into a municipality: every record is validated and routed in memory first (a faulty record is
 * reported with its line and never written), then valid records are written in batches, each batch in one
 * transaction (see BulkWriter). Re-running skips records whose source id is already stored
 * (cases.external_source/external_id). An import that wrote something leaves one entry in the audit log.
 */
export async function importCases(
  deps: ImportDeps,
  opts: {
    source: Source; municipalityCode: string; mapping: ImportMapping; dryRun?: boolean; onProgress?: (done: number, summary: ImportSummary) => void;
    /** Cases per transaction (IMPORT_BATCH unless a test wants several batches of a small file). */
    batchSize?: number;
  },
): Promise<ImportSummary> {
  const municipality = await deps.db.selectFrom('municipalities').select('code').where('code', '=', opts.municipalityCode).executeTakeFirst();
  if (!municipality) throw badInput('municipality', `${opts.municipalityCode} is not a Swedish kommunkod`, `${opts.municipalityCode} är ingen svensk kommunkod`);
  const sourceName = opts.mapping.source ?? opts.source.name;
  const preparer = new Preparer(deps.db, deps.routing, opts.municipalityCode, opts.mapping);
  await preparer.init();
  const summary: ImportSummary = { source: sourceName, read: 0, imported: 0, skipped: 0, errors: [] };
  // Every record is placed in the import's municipality (the preparer refuses others): one number series prefix.
  const writer = new BulkWriter(deps, sourceName, await casePrefixOf(deps.db, opts.municipalityCode));
  await writer.init();
  const seen = new Set<string>();
  const scheduler = new BatchScheduler(opts.batchSize ?? IMPORT_BATCH, deps.dbKind === 'postgres' ? WRITERS : 1, async (batch) => {
    try {
      const written = await writer.write(batch);
      summary.imported += written;
      summary.skipped += batch.length - written;
    } catch (error) {
      // The batch's transaction rolled back: none of its rows exist, and each is reported.
      for (const c of batch) summary.errors.push({ line: c.line, field: 'database', message: (error as Error).message });
    }
  });
  for await (const rec of opts.source.records) {
    // Preparing is synchronous work between microtasks; let I/O run now and then, or the COPY streams of the batches
    // being written would wait for the next read of the file (a megabyte of records) before getting more lines.
    if (++summary.read % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const prepared = await preparer.prepare(rec);
    if ('message' in prepared) summary.errors.push(prepared);
    // A source id repeated in the file counts as already imported, as one stored by an earlier run does.
    else if (seen.has(prepared.external_id)) summary.skipped++;
    else {
      seen.add(prepared.external_id);
      const full = opts.dryRun ? undefined : scheduler.add(prepared);
      if (full) await full;
    }
    opts.onProgress?.(rec.progress, summary);
  }
  await scheduler.finish();
  summary.errors.sort((a, b) => a.line - b.line);
  if (summary.imported > 0) {
    await deps.db.transaction().execute((trx) => appendAudit(trx, {
      chain: PLATFORM_CHAIN, actor_label: 'import', action: 'import.cases', subject_type: 'import', subject_id: sourceName,
      details: { municipality: opts.municipalityCode, read: summary.read, imported: summary.imported, skipped: summary.skipped, errors: summary.errors.length },
    }));
  }
  opts.onProgress?.(opts.source.total, summary);
  return summary;
}
