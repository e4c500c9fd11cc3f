import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { captureQueries } from './capture.js';
import { registerCaseEffect } from '../../src/cases/effects.js';
import { verifyAuditLog } from '../../src/audit/service.js';
import { pgRateLimitStore } from '../../src/perf/rate-limit-store.js';

// Intakes that arrive together are stored together (src/cases/intake.ts): each case must still come out whole
// and its own (its reporter, events, follower, receipt, audit entries), and one bad intake must fail alone.
let t: TestContext;

before(async () => {
  t = await createTestContext();
});
after(() => t?.close());

const intake = (label: string, i: number) => t.ctx.cases.createCase({
  service_code: 'pothole', channel: 'web', description: `${label} ${i}`, location: { lat: '57.4870', lon: '12.0760' },
  reporter: { email: `${label.toLowerCase()}.${i}@example.org`, name: i % 2 ? `Person ${i}` : null },
});

test('concurrent intakes share a few transactions, and each case comes out whole and its own', async () => {
  const { result: created, queries } = await captureQueries(() => Promise.all(Array.from({ length: 12 }, (_, i) => intake('Grupp', i))));
  const caseInserts = queries.filter((q) => /insert into "cases"/.test(q.text)).length;
  assert.ok(caseInserts < 12, `${caseInserts} case inserts for 12 intakes`);
  assert.equal(new Set(created.map((c) => c.case.public_id)).size, 12, 'every case has its own number');

  for (const [i, { case: kase }] of created.entries()) {
    assert.equal(kase.description, `Grupp ${i}`);
    const reporter = await t.ctx.db.selectFrom('reporters').select(['email', 'name']).where('id', '=', kase.reporter_id!).executeTakeFirstOrThrow();
    assert.deepEqual(reporter, { email: `grupp.${i}@example.org`, name: i % 2 ? `Person ${i}` : null });
    const events = await t.ctx.db.selectFrom('case_events').select('kind').where('case_id', '=', kase.id).orderBy('id').execute();
    assert.deepEqual(events.map((e) => e.kind), ['created', 'routed']);
    const follower = await t.ctx.db.selectFrom('case_followers').select(['email', 'token']).where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    assert.equal(follower.email, `grupp.${i}@example.org`);
    const receipt = await t.ctx.db.selectFrom('outbox').select('payload').where('payload', '@>', JSON.stringify({ case_number: kase.public_id, template: 'receipt' }) as never).executeTakeFirstOrThrow();
    assert.equal((receipt.payload as { to: string }).to, follower.email);
    assert.equal((receipt.payload as { unsubscribe_token: string }).unsubscribe_token, follower.token);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', kase.public_id).orderBy('seq').execute();
    assert.deepEqual(audit.map((a) => a.action), ['case.created', 'case.routed']);
  }
  assert.deepEqual((await verifyAuditLog(t.ctx.db)).broken, []);
});

test('an intake that fails in the database fails alone; the others of its group are stored', async () => {
  const unregister = registerCaseEffect(async (_trx, kase, event) => {
    if (event.kind === 'created' && kase.description === 'Ensam 3') throw new Error('this intake cannot be stored');
  });
  try {
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => intake('Ensam', i)));
    assert.deepEqual(outcomes.map((o) => o.status), outcomes.map((_, i) => (i === 3 ? 'rejected' : 'fulfilled')));
  } finally {
    unregister();
  }
  const stored = await t.ctx.db.selectFrom('cases').select('description').where('description', 'like', 'Ensam %').orderBy('description').execute();
  assert.deepEqual(stored.map((c) => c.description), ['Ensam 0', 'Ensam 1', 'Ensam 2', 'Ensam 4', 'Ensam 5', 'Ensam 6', 'Ensam 7']);
  const orphans = await t.ctx.db.selectFrom('reporters').select('id').where('email', '=', 'ensam.3@example.org').execute();
  assert.deepEqual(orphans, [], 'nothing of the failed intake is kept');
  assert.deepEqual((await verifyAuditLog(t.ctx.db)).broken, []);
});

test('the shared rate limit counts requests that arrive together one by one', async () => {
  const Store = pgRateLimitStore(t.ctx.db);
  const store = new (Store as unknown as new () => { incr(key: string, cb: (e: Error | null, r?: { current: number }) => void, window: number, max: number): void })();
  const counts = await Promise.all(Array.from({ length: 10 }, () => new Promise<number>((resolve, reject) =>
    store.incr('group-test', (error, result) => (error ? reject(error) : resolve(result!.current)), 60_000, 100))));
  assert.deepEqual([...counts].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const row = await t.ctx.db.selectFrom('rate_limits').select('count').where('key', '=', 'group-test').executeTakeFirstOrThrow();
  assert.equal(row.count, 10);
});
