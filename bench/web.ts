import path from 'node:path';
import { sql } from 'kysely';
import { createApiKey } from '../src/apikeys/service.js';
import type { BenchDatabase } from './database.js';
import { load, startProcess, type LoadResult, type Started } from './http.js';
import type { BenchRow } from './table.js';
import { runReadBench } from './reads.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** Starts `serve` on the bench database (no demo seed, quiet logs) with N workers. */
export function startApp(db: BenchDatabase, port: number, workers: number): Promise<Started> {
  return startProcess(TSX, [path.join(ROOT, 'src/main.ts'), 'serve', '--no-seed', '--workers', String(workers)],
    { DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'warn' }, `http://127.0.0.1:${port}/healthz`);
}

export function startReference(db: BenchDatabase, port: number): Promise<Started> {
  return startProcess(TSX, [path.join(ROOT, 'bench/reference-server.ts')], { DATABASE_URL: db.url, PORT: String(port) }, `http://127.0.0.1:${port}/queue?organisation_id=0`);
}

/** Answers for a service's required attributes (the first allowed value, or a short text), as a form would send them. */
function requiredAttributes(attributes: { code: string; required?: boolean; values?: { key: string }[] }[]): Record<string, string> {
  return Object.fromEntries(attributes.filter((a) => a.required).map((a) => [`attribute[${a.code}]`, a.values?.[0]?.key ?? '1']));
}

/** Real places and services from the data set, so every POST routes somewhere different. */
export async function postBodies(db: BenchDatabase, apiKey: string): Promise<string[]> {
  const rows = await sql<{ lat: number; lon: number; service_code: string; municipality_code: string; attributes: { code: string; required?: boolean; values?: { key: string }[] }[] }>`
    select c.lat, c.lon, s.service_code, c.municipality_code, s.attributes from cases c join services s on s.id = c.service_id
    where s.service_code <> 'street_light' and c.id % 997 = 0 order by c.id limit 500`.execute(db.ctx.db);
  return rows.rows.map((r, i) => new URLSearchParams({
    api_key: apiKey, jurisdiction_id: r.municipality_code, service_code: r.service_code, lat: String(r.lat), long: String(r.lon),
    description: `Bench report ${i}: ${r.service_code} near this spot`, email: `bench${i}@example.se`, ...requiredAttributes(r.attributes),
  }).toString());
}

function post(port: number, urlPath: string, bodies: string[], seconds: number): Promise<LoadResult> {
  let next = 0;
  return load({
    url: `http://127.0.0.1:${port}`, connections: 50, duration: seconds,
    requests: [{ method: 'POST', path: urlPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
  });
}

const fmt = (r: LoadResult) => `${Math.round(r.requestsPerSecond)} req/s, p99 ${r.p99} ms`;

/**
 * Items 1, 2 (when `reads`, see bench/reads.ts) and the worker figure: Open311 POST against the bare reference, the
 * Open311 list and the staff queue (p50/p99) against their bare SQL, and POST with 2 workers against 1.
 */
export async function runWebBench(db: BenchDatabase, opts: { seconds: number; log: (line: string) => void; reads: boolean }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const key = await createApiKey(db.ctx.db, { name: 'bench', rateLimitPerMinute: 100_000_000 });
  const bodies = await postBodies(db, key.key);
  const reference = await startReference(db, 3991);
  let app = await startApp(db, 3981, 1);
  try {
    // Reference and Ingång take turns, twice, each after a checkpoint, and the better run of each counts: a
    // checkpoint or autovacuum that falls into one run (this machine's noise) then spoils neither figure.
    opts.log('Open311 POST: reference and Ingång (1 worker), in turn, twice');
    const runs: { ref: LoadResult; ours: LoadResult }[] = [];
    for (let round = 0; round < 2; round++) {
      await sql`checkpoint`.execute(db.ctx.db);
      const ref = await post(3991, '/requests.json', bodies, opts.seconds);
      await sql`checkpoint`.execute(db.ctx.db);
      runs.push({ ref, ours: await post(3981, '/open311/v2/requests.json', bodies, opts.seconds) });
    }
    const best = (pick: (r: (typeof runs)[number]) => LoadResult) => runs.map(pick).reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
    const ref = best((r) => r.ref);
    const ours = best((r) => r.ours);
    rows.push({ item: '1', name: 'Open311 POST requests.json, stored (50 connections)', value: Math.round(ours.requestsPerSecond), unit: 'req/s',
      detail: `p99 ${ours.p99} ms${ours.errors ? `, ${ours.errors} errors/timeouts` : ''}`, reference: `bare fastify+pg insert: ${fmt(ref)}`, ratio: ours.requestsPerSecond / ref.requestsPerSecond,
      goal: '≥ 50 % of reference', pass: ours.requestsPerSecond >= 0.5 * ref.requestsPerSecond });

    if (opts.reads) rows.push(...(await runReadBench(db, { ...opts, appPort: 3981, referencePort: 3991 })));

    await app.stop();
    opts.log('Open311 POST with 2 workers');
    app = await startApp(db, 3982, 2);
    await sql`checkpoint`.execute(db.ctx.db);
    const two = await post(3982, '/open311/v2/requests.json', bodies, opts.seconds);
    rows.push({ item: 'W', name: 'Open311 POST with serve --workers 2', value: Math.round(two.requestsPerSecond), unit: 'req/s',
      detail: `p99 ${two.p99} ms`, reference: `1 worker: ${fmt(ours)}`, ratio: two.requestsPerSecond / ours.requestsPerSecond,
      // The issue asks for this figure, not a goal: on 2 cores that PostgreSQL and the load generator share, a second
      // worker adds no CPU; on a machine with cores to spare it is how one installation uses them.
      goal: '— (measured: 2 vs 1 worker)' });
  } finally {
    await app.stop();
    await reference.stop();
  }
  return rows;
}
