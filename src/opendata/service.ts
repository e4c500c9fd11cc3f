import type { Kysely } from 'kysely';
import type { CaseStatus, Database } from '../db/types.js';
import { ALL_STATUSES, CLOSED_STATUSES, OPEN_STATUSES } from '../cases/states.js';
import { badInput } from '../shared/errors.js';
import { FORMATS, toPublicCase, type ExportFormat } from './formats.js';
import { exportBatch, type ExportFilter } from './repo.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates the raw query of an export into a filter; names the field at fault. */
export function exportFilter(q: { municipality?: string; from?: string; to?: string; service?: string; state?: string }): ExportFilter {
  const split = (v?: string) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const municipalities = split(q.municipality);
  for (const m of municipalities) if (!/^\d{4}$/.test(m)) throw badInput('municipality', `"${m}" is not a four-digit kommunkod`, `"${m}" är ingen fyrsiffrig kommunkod`);
  for (const [field, v] of [['from', q.from], ['to', q.to]] as const) {
    // Date.parse takes 2026-02-31 (as 3 March); the round trip does not.
    if (v && (!DAY.test(v) || Number.isNaN(Date.parse(v)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)) throw badInput(field, 'must be a date as YYYY-MM-DD', 'ska vara ett datum som ÅÅÅÅ-MM-DD');
  }
  const statuses = new Set<CaseStatus>();
  for (const s of split(q.state)) {
    if (s === 'open') OPEN_STATUSES.forEach((x) => statuses.add(x));
    else if (s === 'closed') CLOSED_STATUSES.forEach((x) => statuses.add(x));
    else if ((ALL_STATUSES as string[]).includes(s)) statuses.add(s as CaseStatus);
    else throw badInput('state', `"${s}" is not open, closed or a state (${ALL_STATUSES.join(', ')})`, `"${s}" är inte open, closed eller ett känt läge`);
  }
  return { municipalities, from: q.from || null, to: q.to || null, services: split(q.service), statuses: [...statuses] };
}

/**
 * The export as a stream of text chunks: one keyset query per batch, each batch formatted and yielded before
 * the next is read, so memory stays flat whatever the size of the data set.
 */
export async function* exportChunks(db: Kysely<Database>, filter: ExportFilter, format: ExportFormat): AsyncGenerator<string> {
  yield format.head;
  let afterId = 0;
  let first = true;
  for (;;) {
    const rows = await exportBatch(db, filter, afterId);
    if (rows.length === 0) break;
    let chunk = '';
    for (const row of rows) {
      chunk += format.row(toPublicCase(row), first);
      first = false;
    }
    yield chunk;
    afterId = rows[rows.length - 1].id;
  }
  yield format.tail;
}

export { FORMATS };
