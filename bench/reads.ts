import { sql } from 'kysely';
import { createApiKey } from '../src/apikeys/service.js';
import { BENCH_NOW, type BenchDatabase } from './database.js';
import { load } from './http.js';
import type { BenchRow } from './table.js';
import { startApp, startReference } from './web.js';

/**
 * Item 2: the Open311 list (1 000 rows of the largest municipality) and the staff queue (Helsingborg), p50/p99
 * with 4 connections, each beside the same rows by bare SQL → JSON. Needs the app and the reference server running.
 */
export async function runReadBench(db: BenchDatabase, opts: { seconds: number; log: (line: string) => void; appPort: number; referencePort: number }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const app = `http://127.0.0.1:${opts.appPort}`;
  const reference = `http://127.0.0.1:${opts.referencePort}`;
  opts.log('Open311 GET requests.json (1000 rows) and the staff queue');
  // The largest municipality of the generated data set: not the one item 1 has just POSTed thousands of new cases to,
  // whose newest rows would be minutes old (a quick run's 50 000 cases make that one the largest).
  const big = await sql<{ code: string }>`select municipality_code as code from cases where requested_at <= ${BENCH_NOW}
    group by 1 order by count(*) desc limit 1`.execute(db.ctx.db);
  const jurisdiction = big.rows[0].code;
  // A client's key with a high limit: the anonymous limit (300 a minute per address) would answer 429 within seconds.
  const key = await createApiKey(db.ctx.db, { name: 'bench reads', rateLimitPerMinute: 100_000_000 });
  const listPath = `/open311/v2/requests.json?jurisdiction_id=${jurisdiction}&api_key=${key.key}`;
  const probe = await (await fetch(`${app}${listPath}`)).json() as unknown[];
  const refList = await load({ url: `${reference}/requests.json?jurisdiction_id=${jurisdiction}`, connections: 4, duration: opts.seconds });
  const list = await load({ url: `${app}${listPath}`, connections: 4, duration: opts.seconds });
  rows.push({ item: '2a', name: `Open311 GET requests.json, ${probe.length} rows of ${jurisdiction} (4 connections)`, value: list.p99, unit: 'ms p99',
    detail: `p50 ${list.p50} ms`, reference: `bare SQL → JSON: p50 ${refList.p50} ms, p99 ${refList.p99} ms`, ratio: list.p99 / Math.max(1, refList.p99),
    goal: 'p99 ≤ 50 ms', pass: list.p99 <= 50 });

  const login = await fetch(`${app}/api/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'handler@helsingborg.demo', password: 'ingang-demo' }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const org = await db.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'kommun-1283').executeTakeFirstOrThrow();
  const open = await sql<{ n: number }>`select count(*)::int as n from cases where organisation_id = ${org.id}`.execute(db.ctx.db);
  const refQueue = await load({ url: `${reference}/queue?organisation_id=${org.id}`, connections: 4, duration: opts.seconds });
  const queue = await load({ url: `${app}/api/staff/cases`, headers: { cookie }, connections: 4, duration: opts.seconds });
  if (queue.ok === 0) throw new Error('staff queue: no successful answer (log-in failed?)');
  if (list.errors || queue.errors) opts.log(`non-2xx answers: Open311 list ${list.errors}, staff queue ${queue.errors}`);
  rows.push({ item: '2b', name: `Staff queue, Helsingborg (${open.rows[0].n.toLocaleString('en')} cases), first page + counts`, value: queue.p99, unit: 'ms p99',
    detail: `p50 ${queue.p50} ms`, reference: `bare SQL page: p50 ${refQueue.p50} ms, p99 ${refQueue.p99} ms`, ratio: queue.p99 / Math.max(1, refQueue.p99),
    goal: 'p99 ≤ 100 ms', pass: queue.p99 <= 100 });
  return rows;
}

/** Item 2 alone (`--only=2`): its own app process (1 worker) and reference server. */
export async function runReadBenchAlone(db: BenchDatabase, opts: { seconds: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const reference = await startReference(db, 3993);
  const app = await startApp(db, 3983, 1);
  try {
    return await runReadBench(db, { ...opts, appPort: 3983, referencePort: 3993 });
  } finally {
    await app.stop();
    await reference.stop();
  }
}
