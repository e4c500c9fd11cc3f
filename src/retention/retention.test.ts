import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { runRetention } from './service.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

const DAY = 86_400_000;

async function closedCase(closedAt: Date, legalHold = false) {
  const requestedAt = new Date(closedAt.getTime() - 5 * DAY);
  const { case: kase } = await t.ctx.cases.createCase({
    service_code: 'graffiti', location: { lat: 57.4875, lon: 12.0761 }, channel: 'web', description: 'Klotter på muren',
    reporter: { name: 'Kim Testsson', email: 'kim@example.se', phone: '070-123 45 67' }, requested_at: requestedAt,
  });
  await t.ctx.cases.changeStatus(kase.id, 'closed', { at: closedAt });
  if (legalHold) await t.ctx.db.updateTable('cases').set({ legal_hold: true, legal_hold_reason: 'Skadeståndsanspråk' }).where('id', '=', kase.id).execute();
  return kase;
}

async function reporterOf(caseId: number) {
  const row = await t.ctx.db.selectFrom('cases').innerJoin('reporters', 'reporters.id', 'cases.reporter_id').select(['reporters.email', 'reporters.name', 'reporters.anonymised_at']).where('cases.id', '=', caseId).executeTakeFirstOrThrow();
  return row;
}

test('reporter data is kept until the class\'s period has passed, then anonymised with a disposal record; a legal hold stops it', async () => {
  const closedAt = new Date('2030-01-10T12:00:00Z');
  const kase = await closedCase(closedAt);
  const held = await closedCase(closedAt, true);
  await runRetention(t.ctx, new Date(closedAt.getTime() + 364 * DAY));
  assert.equal((await reporterOf(kase.id)).email, 'kim@example.se');
  const run = await runRetention(t.ctx, new Date(closedAt.getTime() + 365 * DAY + 1000));
  assert.ok(run.anonymisedCases >= 1);
  assert.ok(run.heldBack >= 1);
  const anonymised = await reporterOf(kase.id);
  assert.equal(anonymised.email, null);
  assert.equal(anonymised.name, null);
  assert.ok(anonymised.anonymised_at);
  assert.equal((await reporterOf(held.id)).email, 'kim@example.se');
  const records = await t.ctx.db.selectFrom('disposal_records').selectAll().where('case_id', '=', kase.id).execute();
  assert.equal(records.length, 1);
  assert.equal(records[0].what, 'reporter_data');
  const again = await runRetention(t.ctx, new Date(closedAt.getTime() + 400 * DAY));
  const recordsAfter = await t.ctx.db.selectFrom('disposal_records').selectAll().where('case_id', '=', kase.id).execute();
  assert.equal(recordsAfter.length, 1, `nothing disposed twice (${JSON.stringify(again)})`);
});

test('an organisation\'s own policy overrides the platform default', async () => {
  const kase = await closedCase(new Date('2031-03-01T12:00:00Z'));
  await t.ctx.db.insertInto('retention_policies').values({ organisation_id: kase.organisation_id, retention_class: 'standard', anonymise_after_days: 30, dispose_photos_after_days: 30, decision_reference: 'KS 2024/12' }).execute();
  await runRetention(t.ctx, new Date('2031-04-02T12:00:00Z'));
  assert.equal((await reporterOf(kase.id)).email, null);
  const record = await t.ctx.db.selectFrom('disposal_records').select('decision_reference').where('case_id', '=', kase.id).executeTakeFirstOrThrow();
  assert.equal(record.decision_reference, 'KS 2024/12');
});
