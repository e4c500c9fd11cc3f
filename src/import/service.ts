import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { RoutingService } from '../routing/service.js';
import { badInput } from '../shared/errors.js';
import type { ImportMapping } from './mapping.js';
import { Preparer, type PreparedCase, type RowError } from './prepare.js';
import type { Source } from './sources.js';
import { writeBatch } from './writer.js';

/** Cases written per transaction. */
export const IMPORT_BATCH = 1000;

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
 * transaction. Re-running skips records whose source id is already stored (cases.external_source/external_id).
 */
export async function importCases(
  deps: { db: Kysely<Database>; routing: RoutingService },
  opts: { source: Source; municipalityCode: string; mapping: ImportMapping; dryRun?: boolean; onProgress?: (done: number, summary: ImportSummary) => void },
): Promise<ImportSummary> {
  const municipality = await deps.db.selectFrom('municipalities').select('code').where('code', '=', opts.municipalityCode).executeTakeFirst();
  if (!municipality) throw badInput('municipality', `${opts.municipalityCode} is not a Swedish kommunkod`, `${opts.municipalityCode} är ingen svensk kommunkod`);
  const sourceName = opts.mapping.source ?? opts.source.name;
  const preparer = new Preparer(deps.db, deps.routing, opts.municipalityCode, opts.mapping);
  await preparer.init();
  const summary: ImportSummary = { source: sourceName, read: 0, imported: 0, skipped: 0, errors: [] };
  const prefixes = new Map<string, string>();
  let batch: PreparedCase[] = [];
  // One batch is written while the next is being prepared; a batch starts only after the previous one committed,
  // so a source id repeated across two batches is seen as already imported.
  let inflight: Promise<void> = Promise.resolve();
  const write = async (pending: PreparedCase[]) => {
    try {
      const written = await writeBatch(deps.db, sourceName, pending, prefixes);
      summary.imported += written;
      summary.skipped += pending.length - written;
    } catch (error) {
      // The batch's transaction rolled back: none of its rows exist, and each is reported.
      for (const c of pending) summary.errors.push({ line: c.line, field: 'database', message: (error as Error).message });
    }
  };
  const flush = async () => {
    if (batch.length === 0 || opts.dryRun) return void (batch = []);
    const pending = batch;
    batch = [];
    await inflight;
    inflight = write(pending);
  };
  for await (const rec of opts.source.records) {
    summary.read++;
    const prepared = await preparer.prepare(rec);
    if ('message' in prepared) summary.errors.push(prepared);
    else batch.push(prepared);
    if (batch.length >= IMPORT_BATCH) await flush();
    opts.onProgress?.(rec.progress, summary);
  }
  await flush();
  await inflight;
  summary.errors.sort((a, b) => a.line - b.line);
  opts.onProgress?.(opts.source.total, summary);
  return summary;
}
