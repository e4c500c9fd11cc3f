import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';
import { loadDataset } from '../../src/perf/bulk-load.js';
import { captureQueries, meaningful, type CapturedQuery } from './capture.js';

// The hot queries must use indexes once `cases` is large. The table gets 40 000 generated cases (the
// bench's generator) and ANALYZE; each route is called once, every statement it sent that reads
// `cases` is EXPLAINed with its real parameters, and a sequential scan of `cases` fails the test.
const CASES = 40_000;
const root = path.resolve(import.meta.dirname, '../..');
const exists = (file: string) => fs.existsSync(path.join(root, file));

let t: TestContext;
let headers: Record<string, string>;

before(async () => {
  t = await createTestContext();
  await loadDataset(t.handle, t.ctx.routing, { count: CASES, seed: 3 });
  await sql`analyze`.execute(t.ctx.db);
  headers = await signIn(t.app, 'handler@helsingborg.demo');
});
after(() => t?.close());

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] }

function seqScansOfCases(node: PlanNode): string[] {
  const here = node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'cases' ? ['Seq Scan on cases'] : [];
  return [...here, ...(node.Plans ?? []).flatMap(seqScansOfCases)];
}

async function assertNoSeqScan(label: string, queries: CapturedQuery[]): Promise<void> {
  const onCases = meaningful(queries).filter((q) => /\bcases\b/.test(q.text) && /^\s*(select|with)/i.test(q.text));
  assert.ok(onCases.length > 0, `${label}: no query on cases was captured`);
  for (const q of onCases) {
    const result = await t.handle.pool.query(`explain (format json) ${q.text}`, q.values as unknown[]);
    const plan = (result.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan;
    assert.deepEqual(seqScansOfCases(plan), [], `${label}: ${q.text.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

async function route(label: string, url: string, withSession = false) {
  const { result, queries } = await captureQueries(() => t.app.inject({ method: 'GET', url, headers: withSession ? headers : {} }));
  assert.equal(result.statusCode, 200, `${label}: ${result.body.slice(0, 300)}`);
  await assertNoSeqScan(label, queries);
}

test('the staff queue reads cases by index', { skip: !exists('src/cases/queue.ts') && 'src/cases/queue.ts missing' }, async () => {
  await route('queue', '/api/staff/cases', true);
  await route('queue, open cases by due time', '/api/staff/cases?sort=due_asc', true);
  await route('queue, open cases (the staff app\'s first view)', '/api/staff/cases?open=true&limit=50', true);
  await route('queue, a filter beyond the state (counts from the cases)', '/api/staff/cases?service=pothole', true);
});

test('the Open311 request list reads cases by index', { skip: !exists('src/open311/routes.ts') && 'src/open311 missing' }, async () => {
  await route('Open311 list', '/open311/v2/requests.json?jurisdiction_id=0180');
  await route('Open311 list, one service', '/open311/v2/requests.json?jurisdiction_id=1283&service_code=pothole&status=open');
});

test('duplicates nearby read cases by index', { skip: !exists('src/public/routes.ts') && 'src/public missing' }, async () => {
  await route('nearby', '/api/public/nearby?service_code=pothole&lat=56.0465&lon=12.6945');
});

test('comparison statistics read no case row by row', { skip: !exists('src/statistics/routes.ts') && 'src/statistics missing' }, async () => {
  const { result, queries } = await captureQueries(() => t.app.inject({ method: 'GET', url: '/api/statistics/compare?municipalities=1283,1384' }));
  assert.equal(result.statusCode, 200, result.body.slice(0, 300));
  const onCases = meaningful(queries).filter((q) => /\bcases\b/.test(q.text) && /^\s*(select|with)/i.test(q.text));
  if (onCases.length) await assertNoSeqScan('statistics', queries);
});
