import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { ReferenceCache } from './reference-cache.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(() => t?.close());

const pothole = { service_code: 'pothole', channel: 'web' as const, location: { lat: 57.4875, lon: 12.0761 }, description: 'Hål i vägen' };
const serviceName = (cache: ReferenceCache, db = t.ctx.db) =>
  cache.get('name', () => db.selectFrom('services').select('name_sv').where('service_code', '=', 'pothole').executeTakeFirstOrThrow());

test('a change to the catalogue applies to the very next intake, though the intake reads it from memory', async () => {
  await t.ctx.cases.createCase(pothole);
  await t.ctx.db.updateTable('services').set({ active: false }).where('service_code', '=', 'pothole').execute();
  await assert.rejects(t.ctx.cases.createCase(pothole), /not a known service/);
  await t.ctx.db.updateTable('services').set({ active: true }).where('service_code', '=', 'pothole').execute();
  await t.ctx.cases.createCase(pothole);
});

test('a responsibility moved to another body routes the next case there', async () => {
  const before = await t.ctx.cases.createCase(pothole);
  const other = await t.ctx.db.selectFrom('organisations').select('id').where('id', '<>', before.decision.provider_organisation_id).where('kind', '=', 'municipality').executeTakeFirstOrThrow();
  await sql`update responsibilities set provider_organisation_id = ${other.id} where id = ${before.decision.responsibility_id}`.execute(t.ctx.db);
  try {
    const moved = await t.ctx.cases.createCase(pothole);
    assert.equal(moved.decision.responsibility_id, before.decision.responsibility_id);
    assert.equal(moved.case.organisation_id, other.id);
  } finally {
    await sql`update responsibilities set provider_organisation_id = ${before.decision.provider_organisation_id} where id = ${before.decision.responsibility_id}`.execute(t.ctx.db);
  }
});

test('two caches on one database (two processes): a write through one is seen by the other at its next sync', async () => {
  const mine = new ReferenceCache();
  const theirs = new ReferenceCache();
  await mine.sync(t.ctx.db);
  await theirs.sync(t.ctx.db);
  const original = (await serviceName(theirs)).name_sv;
  await t.ctx.db.updateTable('services').set({ name_sv: 'Potthål (ändrat)' }).where('service_code', '=', 'pothole').execute();
  assert.equal((await serviceName(theirs)).name_sv, original, 'without a sync the cached value stays');
  await theirs.sync(t.ctx.db);
  assert.equal((await serviceName(theirs)).name_sv, 'Potthål (ändrat)');
  await t.ctx.db.updateTable('services').set({ name_sv: original }).where('service_code', '=', 'pothole').execute();
});

test('what a rolled-back change let a cache see is dropped: the version never comes back', async () => {
  const cache = new ReferenceCache();
  const original = (await t.ctx.db.selectFrom('services').select('name_sv').where('service_code', '=', 'pothole').executeTakeFirstOrThrow()).name_sv;
  await assert.rejects(t.ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('services').set({ name_sv: 'Aldrig sparat' }).where('service_code', '=', 'pothole').execute();
    await cache.sync(trx);
    assert.equal((await serviceName(cache, trx)).name_sv, 'Aldrig sparat');
    throw new Error('roll back');
  }), /roll back/);
  // Another change commits meanwhile: its version differs from the rolled-back one, so the cache cannot mistake it.
  await t.ctx.db.updateTable('service_groups').set({ name_en: sql`name_en` }).where('code', '=', 'streets').execute();
  await cache.sync(t.ctx.db);
  assert.equal((await serviceName(cache)).name_sv, original);
});
