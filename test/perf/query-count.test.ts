import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';
import { captureQueries, meaningful } from './capture.js';

// No N+1: a list route sends the same few statements whether the page has 5 rows or 200.
let t: TestContext;
let headers: Record<string, string>;

before(async () => {
  t = await createTestContext();
  headers = await signIn(t.app, 'supervisor@helsingborg.demo');
});
after(() => t?.close());

async function count(url: string, withSession = false): Promise<{ queries: number; rows: number; texts: string }> {
  const { result, queries } = await captureQueries(() => t.app.inject({ method: 'GET', url, headers: withSession ? headers : {} }));
  assert.equal(result.statusCode, 200, result.body.slice(0, 300));
  const body = result.json() as unknown[] | { items?: unknown[]; cases?: unknown[] };
  const rows = Array.isArray(body) ? body : body.items ?? body.cases ?? [];
  const statements = meaningful(queries);
  return { queries: statements.length, rows: rows.length, texts: statements.map((q) => q.text.replace(/\s+/g, ' ').slice(0, 200)).join('\n') };
}

test('the Open311 request list: same statements for 5 and 200 rows', async () => {
  // Once per process, the kommunkoder are read (src/open311/service.ts); that is not per row.
  await t.app.inject({ method: 'GET', url: '/open311/v2/services.json?jurisdiction_id=1283' });
  const small = await count('/open311/v2/requests.json?jurisdiction_id=1283&page_size=5&start_date=2026-01-01T00:00:00Z');
  const large = await count('/open311/v2/requests.json?jurisdiction_id=1283&page_size=200&start_date=2026-01-01T00:00:00Z');
  assert.ok(large.rows > small.rows, `${large.rows} rows vs ${small.rows}`);
  assert.equal(large.queries, small.queries, `small page:\n${small.texts}\nlarge page:\n${large.texts}`);
  assert.ok(large.queries <= 6, `${large.queries} statements`);
});

test('the staff queue: same statements for 5 and 100 rows', async () => {
  const small = await count('/api/staff/cases?limit=5', true);
  const large = await count('/api/staff/cases?limit=100', true);
  assert.ok(large.rows > small.rows, `${large.rows} rows vs ${small.rows}`);
  assert.equal(large.queries, small.queries, `small page:\n${small.texts}\nlarge page:\n${large.texts}`);
  assert.ok(large.queries <= 8, `${large.queries} statements`);
});

test('the public case list: same statements for a short and a long page', async () => {
  const small = await count('/api/public/cases?municipality=1283&limit=5');
  const large = await count('/api/public/cases?municipality=1283&limit=100');
  assert.ok(large.rows > small.rows, `${large.rows} rows vs ${small.rows}`);
  assert.equal(large.queries, small.queries, `small page:\n${small.texts}\nlarge page:\n${large.texts}`);
});

test('an Open311 POST: reference data and the key from memory, one transaction of a few statements', async () => {
  const { createApiKey } = await import('../../src/apikeys/service.js');
  const key = (await createApiKey(t.ctx.db, { name: 'count', rateLimitPerMinute: 1000 })).key;
  const post = (lat: string) => t.app.inject({
    method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ api_key: key, jurisdiction_id: '1384', service_code: 'pothole', lat, long: '12.07', description: 'Hål i vägen', email: 'a@example.se' }).toString(),
  });
  assert.equal((await post('57.490')).statusCode, 200);
  const { result, queries } = await captureQueries(() => post('57.491'));
  assert.equal(result.statusCode, 200, result.body);
  // On a PostgreSQL server the per-key rate limit counts in the database (shared by all processes): one upsert more.
  const statements = meaningful(queries).map((q) => q.text).filter((text) => !/insert into rate_limits/.test(text));
  // The key check makes sure of the reference data (one row) and the intake reads through that; then the number,
  // and the transaction: reporter and case, events, audit heads, held rows (audit entries, follower, receipt).
  assert.ok(statements.length <= 6, `${statements.length} statements:\n${statements.join('\n')}`);
  assert.ok(!statements.some((s) => /from "(services|responsibilities|organisations|municipalities)"/.test(s)), 'reference tables are read from memory');
});
