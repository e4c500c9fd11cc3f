// npm run crash-test [-- --rounds 3 --reports 1000 --pglite-reports 300]
//
// Durability under kill -9 (issue 8). For each round: 1 000 concurrent citizen reports (the public report API,
// each with its own Idempotency-Key and client address) against a real server process, `kill -9` of the
// server at a random moment, restart; every report that got a 201 must exist afterwards byte-identical
// (description, attributes, place, as_received), and the reports that got no answer are retried with the
// same key: each report ends as exactly one case (0 duplicates). Rounds run on a fresh PostgreSQL database
// (DATABASE_URL, default the local server), then once on the embedded PGlite for a process crash, with a
// check that a second process opening the same PGlite data directory is refused with a clear message.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/connection.js';

const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, reports: { type: 'string', default: '1000' }, 'pglite-reports': { type: 'string', default: '300' } } });
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PG_BASE = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const PLACES = [{ lat: '57.4875', lon: '12.0761' }, { lat: '56.0465', lon: '12.6945' }, { lat: '59.3939', lon: '15.8388' }, { lat: '56.1616', lon: '15.5866' }];
const SERVICES: { code: string; attributes: Record<string, string> }[] = [{ code: 'street_light', attributes: { is_dark: 'yes' } }, { code: 'pothole', attributes: {} }, { code: 'graffiti', attributes: {} }, { code: 'litter', attributes: {} }];

interface Report {
  key: string;
  body: { service_code: string; description: string; lat: string; lon: string; attributes: Record<string, string>; name: string; email: string };
  ip: string;
  caseNumber?: string;
}

interface Totals { sent: number; acknowledged: number; lost: number; mismatched: number; retried: number; duplicates: number; missingAfterRetry: number }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function makeReports(round: string, n: number): Report[] {
  return Array.from({ length: n }, (_, i) => {
    const service = SERVICES[i % SERVICES.length];
    return {
      key: `crash-${round}-${i}-${crypto.randomBytes(4).toString('hex')}`,
      ip: `10.${(i >> 8) & 255}.${i & 255}.${Number(round.replace(/\D/g, '')) % 250 + 1}`,
      body: {
        service_code: service.code,
        // Non-ASCII, quotes and a line break: "byte-identical" must survive every layer.
        description: `Krasch ${round} nr ${i}: gatlampan "${crypto.randomBytes(3).toString('hex')}" är trasig – åäö ÅÄÖ é ✓\nandra raden`,
        ...PLACES[i % PLACES.length],
        attributes: service.attributes,
        name: `Testperson ${i}`,
        email: `crash.${round}.${i}@example.org`,
      },
    };
  });
}

/** The server's environment: ours plus `extra`, where an empty value removes the variable (PGlite: no DATABASE_URL). */
function serverEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === '') delete env[k];
  return env;
}

class Server {
  child: ChildProcess | null = null;
  output = '';
  constructor(private readonly env: NodeJS.ProcessEnv, readonly port: number) {}

  async start(): Promise<void> {
    this.output = '';
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], { cwd: ROOT, env: serverEnv({ ...this.env, PORT: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'error' }), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => { this.output += d; });
    this.child.stderr!.on('data', (d) => { this.output += d; });
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited ${this.child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`server did not start:\n${this.output}`);
  }

  kill9(): Promise<void> {
    const child = this.child!;
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  stop(): Promise<void> {
    const child = this.child!;
    if (child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

async function post(port: number, r: Report): Promise<{ status: number; json?: { case_number?: string } } | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/public/reports`, {
      method: 'POST', body: JSON.stringify(r.body), signal: AbortSignal.timeout(120_000),
      headers: { 'content-type': 'application/json', 'idempotency-key': r.key, 'x-forwarded-for': r.ip },
    });
    return { status: res.status, json: await res.json().catch(() => undefined) };
  } catch {
    return null; // connection reset by the kill
  }
}

/** Retries a report until it has a case (409 while a dead claim is still fresh: wait and retry). */
async function retryUntilCase(port: number, r: Report): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const res = await post(port, r);
    if (res?.status === 201 && res.json?.case_number) {
      r.caseNumber = res.json.case_number;
      return;
    }
    if (res && res.status !== 409 && res.status !== 429) throw new Error(`retry of ${r.key}: ${res.status} ${JSON.stringify(res.json)}`);
    await sleep(1000);
  }
  throw new Error(`retry of ${r.key} never succeeded`);
}

interface StoredCase { public_id: string; description: string; lat: number | null; lon: number | null; attributes: Record<string, unknown>; as_received: Record<string, unknown>; service_code: string }

/** Compares what is stored with what was sent; returns a reason or null. */
function mismatch(r: Report, c: StoredCase | undefined): string | null {
  if (!c) return 'missing';
  const b = r.body;
  if (c.description !== b.description) return 'description';
  if (c.as_received.description !== b.description) return 'as_received.description';
  if (c.service_code !== b.service_code || c.as_received.service_code !== b.service_code) return 'service_code';
  if (JSON.stringify(c.attributes) !== JSON.stringify(b.attributes) || JSON.stringify(c.as_received.attributes) !== JSON.stringify(b.attributes)) return 'attributes';
  if (c.lat !== Number(b.lat) || c.lon !== Number(b.lon)) return 'location';
  return null;
}

type Query = (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;

async function storedCases(query: Query, round: string): Promise<StoredCase[]> {
  const result = await query(
    `select c.public_id, c.description, c.lat, c.lon, c.attributes, c.as_received, s.service_code from cases c join services s on s.id = c.service_id where c.description like $1`,
    [`Krasch ${round} nr %`],
  );
  return result.rows as StoredCase[];
}

/** One round: fire, kill -9 at a random moment, restart, verify the acknowledged, retry the rest, count duplicates. */
async function round(server: Server, name: string, n: number, query: () => Promise<Query>, totals: Totals): Promise<void> {
  const reports = makeReports(name, n);
  // A random moment while reports are in flight: after a random share (5–90 %) has been answered, plus jitter.
  const killAt = Math.max(1, Math.floor(n * (0.05 + Math.random() * 0.85)));
  let answered = 0;
  let reached: () => void = () => {};
  const enough = new Promise<void>((resolve) => { reached = resolve; });
  const started = Date.now();
  const inFlight = reports.map(async (r) => {
    const res = await post(server.port, r);
    if (res?.status === 201 && res.json?.case_number) r.caseNumber = res.json.case_number;
    if (++answered >= killAt) reached();
  });
  await enough;
  await sleep(Math.random() * 30);
  const killAfter = Date.now() - started;
  await server.kill9();
  await Promise.all(inFlight);
  const acked = reports.filter((r) => r.caseNumber);
  await server.start();
  const before = new Map((await storedCases(await query(), name)).map((c) => [c.public_id, c]));
  let lost = 0;
  let mismatched = 0;
  for (const r of acked) {
    const why = mismatch(r, before.get(r.caseNumber!));
    if (why === 'missing') lost++;
    else if (why) mismatched++;
  }
  const unanswered = reports.filter((r) => !r.caseNumber);
  for (let i = 0; i < unanswered.length; i += 50) await Promise.all(unanswered.slice(i, i + 50).map((r) => retryUntilCase(server.port, r)));
  const after = await storedCases(await query(), name);
  const perDescription = new Map<string, number>();
  for (const c of after) perDescription.set(c.description, (perDescription.get(c.description) ?? 0) + 1);
  const duplicates = [...perDescription.values()].reduce((sum, k) => sum + Math.max(0, k - 1), 0);
  const byNumber = new Map(after.map((c) => [c.public_id, c]));
  const missingAfterRetry = reports.filter((r) => mismatch(r, byNumber.get(r.caseNumber!)) !== null).length;
  console.log(`  ${name}: killed after ${Math.round(killAfter)} ms · sent ${n} · acknowledged before the kill ${acked.length} · lost ${lost} · not identical ${mismatched} · retried ${unanswered.length} · duplicates ${duplicates} · reports without their one identical case after retries ${missingAfterRetry}`);
  totals.sent += n;
  totals.acknowledged += acked.length;
  totals.lost += lost;
  totals.mismatched += mismatched;
  totals.retried += unanswered.length;
  totals.duplicates += duplicates;
  totals.missingAfterRetry += missingAfterRetry;
}

const emptyTotals = (): Totals => ({ sent: 0, acknowledged: 0, lost: 0, mismatched: 0, retried: 0, duplicates: 0, missingAfterRetry: 0 });
const ok = (t: Totals) => t.lost === 0 && t.mismatched === 0 && t.duplicates === 0 && t.missingAfterRetry === 0 && t.acknowledged > 0;
const summary = (label: string, t: Totals) =>
  `${label}: sent ${t.sent}, acknowledged ${t.acknowledged}, lost ${t.lost}, not byte-identical ${t.mismatched}, retried after restart ${t.retried}, duplicates ${t.duplicates}, without exactly one case ${t.missingAfterRetry}`;

async function postgresRounds(rounds: number, n: number): Promise<Totals> {
  const dbName = `ingang_crash_${process.pid}`;
  const url = new URL(PG_BASE);
  const admin = new pg.Client({ connectionString: PG_BASE });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName}`);
  url.pathname = `/${dbName}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on('error', () => {}); // idle clients dropped with the database at the end
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-crash-pg-'));
  const server = new Server({ DATABASE_URL: url.toString(), DATA_DIR: dataDir }, 39_000 + (process.pid % 500));
  const totals = emptyTotals();
  try {
    console.log(`PostgreSQL (${dbName}, fresh): ${rounds} rounds of ${n} concurrent reports`);
    await server.start();
    for (let i = 1; i <= rounds; i++) await round(server, `pg${i}`, n, async () => (text, params) => pool.query(text, params), totals);
    await server.stop();
  } finally {
    if (server.child?.exitCode === null) await server.kill9();
    await pool.end();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return totals;
}

async function pgliteRound(n: number): Promise<{ totals: Totals; refused: boolean; message: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-crash-pglite-'));
  const server = new Server({ DATABASE_URL: '', DATA_DIR: dataDir }, 39_600 + (process.pid % 300));
  const totals = emptyTotals();
  // PGlite belongs to the server process: verification opens the data directory after a clean stop.
  let cases: StoredCase[] = [];
  const viaStop = async (): Promise<Query> => {
    await server.stop();
    const handle = await openDatabase({ dataDir });
    try {
      const rows = await handle.pool.query(`select c.public_id, c.description, c.lat, c.lon, c.attributes, c.as_received, s.service_code from cases c join services s on s.id = c.service_id where c.description like 'Krasch pglite%'`);
      cases = rows.rows as StoredCase[];
    } finally {
      await handle.close();
    }
    await server.start();
    return async () => ({ rows: cases });
  };
  try {
    console.log(`PGlite (${dataDir}): 1 round of ${n} concurrent reports`);
    await server.start();
    await round(server, 'pglite1', n, viaStop, totals);
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'migrate'], { cwd: ROOT, env: serverEnv({ DATABASE_URL: '', DATA_DIR: dataDir }), encoding: 'utf8' });
    const message = `${second.stderr}${second.stdout}`.trim().split('\n').find((l) => /in use|lock/i.test(l)) ?? `${second.stderr}${second.stdout}`.trim();
    await server.stop();
    return { totals, refused: second.status !== 0 && /in use by process/.test(message), message };
  } finally {
    if (server.child?.exitCode === null) await server.kill9();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const started = Date.now();
const pgTotals = await postgresRounds(Number(opts.rounds), Number(opts.reports));
const lite = await pgliteRound(Number(opts['pglite-reports']));
console.log('\n=== crash test figures ===');
console.log(summary('PostgreSQL', pgTotals));
console.log(summary('PGlite    ', lite.totals));
console.log(`Second process on the same PGlite data directory: ${lite.refused ? 'refused' : 'NOT refused'} — "${lite.message}"`);
const passed = ok(pgTotals) && ok(lite.totals) && lite.refused;
console.log(`${passed ? 'PASS' : 'FAIL'} in ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(passed ? 0 : 1);
