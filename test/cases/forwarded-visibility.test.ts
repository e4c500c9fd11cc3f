import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';
import { deliverDue } from '../../src/outbox/service.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

test('after a forward the former owner still reads the case, cannot change it, and the new body is notified', async () => {
  const trafikverket = await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'trafikverket').executeTakeFirstOrThrow();
  const { case: kase } = await t.ctx.cases.createCase({ service_code: 'graffiti', location: { lat: 57.4875, lon: 12.0761 }, channel: 'web', description: 'Klotter på bron' });
  const kungsbacka = await signIn(t.app, 'handler@kungsbacka.demo');
  const forward = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${kase.id}/forward`, headers: kungsbacka, payload: { expected_version: kase.version, organisation_id: trafikverket.id, reason: 'Bron är Trafikverkets' } });
  assert.equal(forward.statusCode, 200, forward.body);

  const page = await t.app.inject({ url: `/api/staff/cases/${kase.public_id}`, headers: kungsbacka });
  assert.equal(page.statusCode, 200, 'the whole history stays visible to the body that forwarded it');
  const note = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${kase.id}/notes`, headers: kungsbacka, payload: { body: 'Försök att ändra', visibility: 'internal' } });
  assert.equal(note.statusCode, 404, 'only the current owner may change the case');

  const newOwner = await signIn(t.app, 'handler@trafikverket.demo');
  assert.equal((await t.app.inject({ url: `/api/staff/cases/${kase.id}`, headers: newOwner })).statusCode, 200);
  const other = await signIn(t.app, 'handler@karlskrona.demo');
  assert.equal((await t.app.inject({ url: `/api/staff/cases/${kase.id}`, headers: other })).statusCode, 404);

  await deliverDue(t.ctx, { backoffBaseSeconds: 0 });
  const message = await t.ctx.db.selectFrom('outbox').select(['status', 'last_error']).where('kind', '=', 'case.forwarded').executeTakeFirstOrThrow();
  assert.equal(message.status, 'delivered', message.last_error ?? '');
});
