import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { routeTableOf } from '../../src/security/plugin.js';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';
import { newKey } from '../open311/helpers.js';

// Fuzzing with fast-check through app.inject over every public and API route: generated bad inputs
// (hostile strings, wrong types, huge numbers, broken JSON, injection attempts) in the path, query and
// body → a 4xx with a message, never a 5xx, and nothing stored. 10 000 inputs on PGlite; fewer on
// PostgreSQL (FUZZ_FACTOR, default 0.2 there) to keep the suite's time in bounds.

const TOTAL = Math.round(10_000 * Number(process.env.FUZZ_FACTOR ?? (process.env.INGANG_TEST_PG_URL ? 0.2 : 1)));
const STORED = ['cases', 'reporters', 'case_events', 'attachments', 'outbox', 'case_followers', 'abuse_list', 'assets', 'responsibilities', 'areas', 'api_keys', 'saved_views'] as const;
const HOSTILE = ['', ' ', "' or 1=1--", '"; drop table cases; --', '<script>alert(1)</script>', '../../etc/passwd', '%00', '\u0000', '\uFFFF', '😀'.repeat(50), 'x'.repeat(5000),
  '-1', '0', '1e309', 'NaN', 'Infinity', '9'.repeat(40), '-99999999999', '1.5', 'true', 'null', '[]', '{}', '2026-02-31', '57.48,12.07', '{{7*7}}', '${7*7}', 'KGS-2026-00001'];

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }));
const FIELDS = ['service_code', 'description', 'lat', 'lon', 'long', 'address', 'address_string', 'postal_code', 'municipality', 'municipality_code', 'jurisdiction_id', 'email', 'phone',
  'name', 'first_name', 'attribute', 'attributes', 'status', 'limit', 'offset', 'before', 'from', 'to', 'start_date', 'end_date', 'page', 'page_size', 'q', 'bbox', 'service', 'comment',
  'locale', 'password', 'expected_version', 'organisation_id', 'token', 'media_url', 'api_key', 'format', 'confidential', 'reason', 'kind', 'value'];
const body = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), hostileString), hostileValue, { maxKeys: 6 });
const query = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(hostileString, fc.integer().map(String)), { maxKeys: 4 });

describe('fuzzing every public and API route', () => {
  let t: TestContext;
  let staff: Awaited<ReturnType<typeof signIn>>;
  let apiKey: string;
  before(async () => {
    t = await createTestContext();
    staff = await signIn(t.app, 'handler@kungsbacka.demo');
    apiKey = await newKey(t.ctx, 'Fuzz', { rateLimitPerMinute: 1_000_000 });
  });
  after(() => t.close());

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of STORED) out[table] = Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.ctx.db)).rows[0].n);
    return out;
  };

  it(`${TOTAL} generated bad inputs: 0 × 5xx, every refusal explained, nothing stored`, async () => {
    const routes = routeTableOf(t.app).filter((r) => /^\/(api|open311)\//.test(r.url) && !r.url.endsWith('*') && ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)
      // Logging out ends the fuzzer's own session; it takes no input.
      && r.url !== '/api/staff/logout');
    const before = await counts();
    const statuses = new Map<number, number>();
    const fiveHundreds: string[] = [];
    let unexplained = 0;
    let n = 0;
    const input = fc.record({
      route: fc.constantFrom(...routes), param: hostileString, query, body, raw: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
      asForm: fc.boolean(), withKey: fc.boolean(), ip: fc.integer({ min: 1, max: 2 ** 24 }),
    });
    await fc.assert(fc.asyncProperty(input, async (i) => {
      n++;
      const path = i.route.url.replace(/:[a-z_]+/g, () => encodeURIComponent(i.param) || 'x');
      const qs = new URLSearchParams(Object.entries({ ...i.query, ...(i.withKey && i.route.url.startsWith('/open311') ? { api_key: apiKey } : {}) })).toString();
      const hasBody = i.route.method !== 'GET' && i.route.method !== 'DELETE';
      const payload = !hasBody ? undefined : i.raw !== undefined ? i.raw : i.asForm ? new URLSearchParams(Object.entries(i.body).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)])).toString() : JSON.stringify(i.body);
      const res = await t.app.inject({
        method: i.route.method as 'GET', url: `${path}${qs ? `?${qs}` : ''}`, payload,
        headers: { ...(i.route.url.startsWith('/api/staff') || i.route.url.startsWith('/api/admin') ? staff : {}), 'x-forwarded-for': `10.${i.ip >> 16}.${(i.ip >> 8) & 255}.${i.ip & 255}`,
          ...(hasBody ? { 'content-type': i.asForm ? 'application/x-www-form-urlencoded' : 'application/json' } : {}) },
      });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500) fiveHundreds.push(`${i.route.method} ${path}?${qs} ${String(payload).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (res.statusCode >= 400 && res.statusCode < 500 && !/"(message|description)":"[^"]{3,}/.test(res.body) && !/<description>[^<]{3,}/.test(res.body)) unexplained++;
      return true;
    }), { numRuns: TOTAL, seed: 20261120 });
    const after = await counts();
    console.log(`# fuzz: ${n} inputs over ${routes.length} routes; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; 5xx ${fiveHundreds.length}; 4xx without a message ${unexplained}`);
    assert.deepEqual(fiveHundreds.slice(0, 10), []);
    assert.equal(unexplained, 0);
    assert.deepEqual(after, before, 'nothing stored');
    assert.ok(n >= TOTAL);
  });
});
