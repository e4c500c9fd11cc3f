import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { loadDataset } from '../../src/perf/bulk-load.js';
import { compactCaseCounts } from '../../src/cases/counts.js';
import { queuePage } from '../../src/cases/queue.js';
import type { StaffActor } from '../../src/cases/scope.js';
import type { QueueQueryT } from '../../src/cases/schema.js';
import { helsingborgCase } from './helpers.js';

// The queue's counts per state come from case_status_counts (migration 0820) when only state filters are
// given. The table must always sum to what counting the cases gives, whatever changed them, and the queue
// must answer exactly what counting the filtered cases answers.

let t: TestContext;
let staff: StaffActor;

before(async () => {
  t = await createTestContext();
  await loadDataset(t.handle, t.ctx.routing, { count: 3000, seed: 5 });
  const org = await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'kommun-1283').executeTakeFirstOrThrow();
  const user = await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'handler@helsingborg.demo').executeTakeFirstOrThrow();
  staff = { organisationId: org.id, role: 'handler', userId: user.id, label: 'Handläggare' };
});
after(async () => t?.close());

/** Every organisation's cases per state, from the table and from the cases. */
async function bothCounts() {
  const table = await sql<{ organisation_id: number; status: string; n: string }>`
    select organisation_id, status, sum(n) as n from case_status_counts group by 1, 2 having sum(n) <> 0 order by 1, 2`.execute(t.ctx.db);
  const cases = await sql<{ organisation_id: number; status: string; n: string }>`
    select organisation_id, status, count(*) as n from cases group by 1, 2 order by 1, 2`.execute(t.ctx.db);
  const plain = (rows: { organisation_id: number; status: string; n: string }[]) => rows.map((r) => `${r.organisation_id} ${r.status} ${Number(r.n)}`);
  return { table: plain(table.rows), cases: plain(cases.rows) };
}

test('case_status_counts follows inserts, changes of state and of organisation, and deletes; compaction keeps the sums', async () => {
  let counts = await bothCounts();
  assert.deepEqual(counts.table, counts.cases);

  const kase = await helsingborgCase(t);
  await t.ctx.cases.changeStatus(kase.id, 'in_progress', { actor: null });
  await t.ctx.cases.changeStatus(kase.id, 'fixed', { actor: null });
  const other = await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'kommun-1384').executeTakeFirstOrThrow();
  await t.ctx.db.updateTable('cases').set({ organisation_id: other.id }).where('id', '=', kase.id).execute();
  await t.ctx.db.updateTable('cases').set({ description: 'Bara texten ändras' }).where('id', '=', kase.id).execute();
  counts = await bothCounts();
  assert.deepEqual(counts.table, counts.cases);

  // Generated cases have no events or followers, so three of them can be deleted in one statement.
  const deleted = await sql`delete from cases where id in (select c.id from cases c where c.external_id is null
    and not exists (select 1 from case_events e where e.case_id = c.id) and not exists (select 1 from case_followers f where f.case_id = c.id)
    order by c.id limit 3)`.execute(t.ctx.db);
  assert.equal(Number(deleted.numAffectedRows), 3);
  counts = await bothCounts();
  assert.deepEqual(counts.table, counts.cases);

  const rowsBefore = Number((await sql<{ n: string }>`select count(*) as n from case_status_counts`.execute(t.ctx.db)).rows[0].n);
  await compactCaseCounts(t.ctx.db);
  const after = await bothCounts();
  assert.deepEqual(after.table, after.cases);
  const groups = await sql<{ n: string }>`select count(*) as n from case_status_counts group by organisation_id, status having count(*) > 1`.execute(t.ctx.db);
  assert.equal(groups.rows.length, 0, 'one row per organisation and state after compaction');
  const rowsAfter = Number((await sql<{ n: string }>`select count(*) as n from case_status_counts`.execute(t.ctx.db)).rows[0].n);
  assert.ok(rowsAfter < rowsBefore, `${rowsAfter} rows after, ${rowsBefore} before`);
});

test('the queue counts from the table what it counts from the cases', async () => {
  const now = new Date('2026-11-20T12:00:00Z');
  // priority 1, 2 and 3 is every case, but it is a filter, so that query counts the cases themselves.
  const everyPriority: Partial<QueueQueryT> = { priority: [1, 2, 3] };
  const queries: QueueQueryT[] = [{}, { open: true }, { open: false }, { status: ['submitted', 'confirmed'] }, { status: ['fixed'], open: false },
    { sla: 'breached' }, { sla: 'at_risk', open: true }, { sla: 'none' }, { sort: 'due_asc', limit: 5 }];
  for (const query of queries) {
    const fromTable = await queuePage(t.ctx.db, staff, query, now);
    const fromCases = await queuePage(t.ctx.db, staff, { ...query, ...everyPriority }, now);
    assert.ok(fromTable.total > 0 || query.sla === 'none', `${JSON.stringify(query)}: some cases`);
    assert.deepEqual({ total: fromTable.total, counts: fromTable.counts }, { total: fromCases.total, counts: fromCases.counts }, JSON.stringify(query));
    assert.deepEqual(fromTable.items.map((i) => i.id), fromCases.items.map((i) => i.id));
  }
});
