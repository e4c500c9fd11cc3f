import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { appendAudit, verifyAuditLog } from './service.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

test('every case event lands in the organisation\'s hash chain and the chains verify', async () => {
  const { case: kase } = await t.ctx.cases.createCase({ service_code: 'graffiti', location: { lat: 57.4875, lon: 12.0761 }, channel: 'web', description: 'Klotter' });
  const entries = await t.ctx.db.selectFrom('audit_log').select(['action', 'chain']).where('subject_id', '=', kase.public_id).orderBy('seq').execute();
  assert.deepEqual(entries.map((e) => e.action), ['case.created', 'case.routed']);
  assert.ok(entries.every((e) => e.chain === kase.organisation_id));
  const result = await verifyAuditLog(t.ctx.db);
  assert.deepEqual(result.broken, []);
  assert.ok(result.entries >= 2);
});

test('the database refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
  await t.ctx.db.transaction().execute((trx) => appendAudit(trx, { chain: 0, action: 'test.entry', subject_type: 'test', subject_id: '1' }));
  await assert.rejects(t.ctx.db.updateTable('audit_log').set({ action: 'forged' }).execute(), /append-only/);
  await assert.rejects(t.ctx.db.deleteFrom('audit_log').execute(), /append-only/);
  await assert.rejects(sql`truncate audit_log`.execute(t.ctx.db), /append-only/);
});

test('verify finds an entry changed behind the trigger\'s back', async () => {
  await t.ctx.db.transaction().execute((trx) => appendAudit(trx, { chain: 0, action: 'test.tamper', subject_type: 'test', subject_id: '2', details: { amount: 1 } }));
  await sql`alter table audit_log disable trigger audit_log_no_update_or_delete`.execute(t.ctx.db);
  try {
    await sql`update audit_log set details = '{"amount": 1000}' where action = 'test.tamper'`.execute(t.ctx.db);
  } finally {
    await sql`alter table audit_log enable trigger audit_log_no_update_or_delete`.execute(t.ctx.db);
  }
  const result = await verifyAuditLog(t.ctx.db);
  assert.equal(result.broken.length, 1);
  assert.match(result.broken[0].reason, /hash does not match/);
});

test('the case as received cannot be changed', async () => {
  const kase = await t.ctx.db.selectFrom('cases').select('id').limit(1).executeTakeFirstOrThrow();
  await assert.rejects(sql`update cases set as_received = '{}' where id = ${kase.id}`.execute(t.ctx.db), /as it was received/);
});
