import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { enqueue } from '../../src/outbox/service.js';
import { CASE_EMAIL } from '../../src/notify/mailer.js';

// Two app processes on different ports against one PostgreSQL database: nothing another process needs
// may live in process memory. Sessions, rate limits and outbox jobs are checked across both.
const PG = process.env.INGANG_TEST_PG_URL;
const root = path.resolve(import.meta.dirname, '../..');

interface AppProcess { child: ChildProcess; url: string; output: () => string }

function startApp(databaseUrl: string): Promise<AppProcess> {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'src/main.ts'), 'serve', '--no-seed'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', SMTP_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start: ${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const ready = /ready at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, url: ready[1], output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`app exited with ${code}: ${output}`)));
  });
}

let t: TestContext;
let a: AppProcess;
let b: AppProcess;

before(async () => {
  if (!PG) return;
  t = await createTestContext();
  const url = (t.handle.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  [a, b] = await Promise.all([startApp(url), startApp(url)]);
});

after(async () => {
  for (const p of [a, b]) if (p?.child.pid && p.child.exitCode === null) process.kill(-p.child.pid, 'SIGTERM');
  await t?.close();
});

test('a session made on one process works on the other', { skip: !PG && 'PostgreSQL only (INGANG_TEST_PG_URL)' }, async () => {
  const login = await fetch(`${a.url}/api/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'handler@kungsbacka.demo', password: 'ingang-demo' }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const me = await fetch(`${b.url}/api/staff/me`, { headers: { cookie } });
  assert.equal(me.status, 200, await me.clone().text());
  assert.equal(((await me.json()) as { user: { email: string } }).user.email, 'handler@kungsbacka.demo');
});

test('a rate limit counts the requests to both processes', { skip: !PG && 'PostgreSQL only (INGANG_TEST_PG_URL)' }, async () => {
  // The statistics API allows 120 requests a minute per client: 70 to each process is 140.
  const url = '/api/statistics/map?figure=cases_per_1000';
  const statuses: number[] = [];
  for (const app of [a, b]) for (let i = 0; i < 70; i++) statuses.push((await fetch(app.url + url)).status);
  assert.equal(statuses.filter((s) => s === 200).length, 120, `statuses: ${statuses.join(',')}`);
  assert.equal(statuses.filter((s) => s === 429).length, 20);
  assert.ok(statuses.slice(0, 70).every((s) => s === 200), 'the first process alone stays under the limit');
});

test('an outbox job is done once although both processes run the worker', { skip: !PG && 'PostgreSQL only (INGANG_TEST_PG_URL)' }, async () => {
  const recipients = Array.from({ length: 30 }, (_, i) => `scale-out-${i}@example.se`);
  await t.ctx.db.transaction().execute(async (trx) => {
    for (const to of recipients) {
      await enqueue(trx, { kind: CASE_EMAIL, organisation_id: null, payload: {
        template: 'receipt', to, locale: 'sv', case_number: 'KGS-2026-99999', service: { sv: 'Hål i gatan', en: 'Pothole' },
        organisation: { sv: 'Kungsbacka kommun', en: 'Kungsbacka Municipality' }, status: 'submitted', body: null, sla_due_at: null,
        follow_token: null, unsubscribe_token: 'x'.repeat(24) } });
    }
  });
  const deadline = Date.now() + 60_000;
  let rows: { status: string; attempts: number }[] = [];
  while (Date.now() < deadline) {
    rows = await t.ctx.db.selectFrom('outbox').select(['status', 'attempts']).where('kind', '=', CASE_EMAIL).where(sql`payload->>'case_number'`, '=', 'KGS-2026-99999').execute();
    if (rows.every((r) => r.status !== 'pending')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(rows.length, 30);
  // A claim counts an attempt (SKIP LOCKED): one attempt each means no message was taken by both processes.
  assert.ok(rows.every((r) => r.status === 'delivered' && r.attempts === 1), JSON.stringify(rows));
});
