// `npm run bench` (add `-- --quick` for a small data set and short runs while developing; `-- --fresh`
// to rebuild the data set; `-- --only=1,2,6` to run some items). Prints one table, every figure beside a
// reference measured in the same run on the same database and its goal, and writes the JSON under
// bench/results/. PostgreSQL from DATABASE_URL (default: the local server), database ingang_bench.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { renderTable, type BenchRow } from './table.js';
import { prepareBenchDatabase } from './database.js';
import { runWebBench } from './web.js';
import { runReadBenchAlone } from './reads.js';
import { runColdStartBench } from './cold-start.js';
import { runRoutingBench } from './routing.js';
import { runStatisticsBench } from './statistics.js';
import { runImportBench } from './import.js';
import { measureCitizenJs } from '../scripts/measure-citizen-js.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, fresh: { type: 'boolean' }, only: { type: 'string' } } });
const quick = values.quick ?? false;
const only = values.only?.split(',');
const wanted = (item: string) => !only || only.includes(item);
const CASES = quick ? 50_000 : 1_000_000;
const SECONDS = quick ? 4 : 10;
const baseUrl = process.env.DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const started = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const rows: BenchRow[] = [];
const skipped: string[] = [];

/** Rows of item `item` with the fields a bench module may leave out filled in. */
function asRows(item: string, result: Partial<BenchRow>[]): BenchRow[] {
  return result.map((r) => ({ item, name: '', value: 0, unit: '', reference: '', goal: '', ...r }));
}

if (wanted('3')) {
  log('routing');
  for (const r of await runRoutingBench()) {
    const indexed = !r.name.includes('brute-force');
    rows.push({ item: '3', ...r, database: 'none', pass: indexed ? r.value <= 5 : undefined });
  }
}
if (wanted('7')) {
  const distIndex = path.join(import.meta.dirname, '../web/dist/index.html');
  if (fs.existsSync(distIndex)) {
    const js = measureCitizenJs();
    rows.push({ item: '7', name: `Citizen page JavaScript, gzip (${js.files.length} files incl. lazy map chunks)`, value: +(js.total_gzip / 1024).toFixed(1), unit: 'KB',
      reference: `raw ${(js.files.reduce((n, f) => n + f.bytes, 0) / 1024).toFixed(0)} KB`, goal: '≤ 350 KB', pass: js.total_gzip <= js.budget, database: 'none' });
  } else skipped.push('7: web/dist missing (npm run build)');
}
if (wanted('6')) rows.push(...(await runColdStartBench(log)));

// Item 4 makes its own database; the others share the generated data set.
const needDatabase = ['1', '2', 'W', '5'].some(wanted);
if (needDatabase) {
  const db = await prepareBenchDatabase(baseUrl, CASES, { fresh: values.fresh, log });
  const version = (await sql<{ server_version: string }>`show server_version`.execute(db.ctx.db)).rows[0].server_version;
  const pgLabel = `PostgreSQL ${version.split(' ')[0]}`;
  if (db.load) {
    rows.push({ item: 'D', name: `Bench data set: ${db.load.cases.toLocaleString('en')} generated cases (${db.load.method}, with all indexes)`, value: +db.load.seconds.toFixed(1), unit: 's',
      reference: `${Math.round(db.load.cases / db.load.seconds).toLocaleString('en')} cases/s incl. generation`, goal: '—', database: pgLabel });
  }
  try {
    const web = ['1', 'W'].some(wanted) ? runWebBench(db, { seconds: SECONDS, log, reads: wanted('2') }) : wanted('2') ? runReadBenchAlone(db, { seconds: SECONDS, log }) : null;
    if (web) for (const r of await web) rows.push({ ...r, database: pgLabel });
    if (wanted('5')) {
      log('statistics');
      const stats = asRows('5', await runStatisticsBench({ db: db.ctx.db, cases: db.cases, quick }));
      rows.push(...stats.map((r) => ({ database: pgLabel, ...r })));
    }
  } finally {
    await db.handle.close();
  }
}
if (wanted('4')) {
  log('import');
  rows.push(...asRows('4', await runImportBench({ databaseUrl: baseUrl, count: CASES, quick })));
}

const seconds = (performance.now() - started) / 1000;
const header = `Ingång bench ${new Date().toISOString()} · ${quick ? 'QUICK' : 'full'} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · Node ${process.version} · load avg ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} · ${seconds.toFixed(0)} s`;
console.log(`\n${header}\n\n${renderTable(rows)}\n`);
for (const s of skipped) console.log(`skipped: ${s}`);
const missed = rows.filter((r) => r.pass === false);
console.log(missed.length ? `${missed.length} goal(s) missed: ${missed.map((r) => r.item).join(', ')}` : 'All goals hold.');
const dir = path.join(import.meta.dirname, 'results');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
fs.writeFileSync(file, JSON.stringify({ header, quick, cases: CASES, seconds, rows, skipped, loadavg: os.loadavg() }, null, 2));
console.log(`written ${path.relative(process.cwd(), file)}`);
process.exit(0);
