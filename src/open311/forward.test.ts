import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { form, FORM, newKey, PLACES } from '../../test/open311/helpers.js';
import { deliverDue } from '../outbox/service.js';
import { pollForwardedUpdates } from './forward.js';

// Two Ingång instances: A (Kungsbacka's street lighting forwards by Open311) and B, listening on a
// loopback port, which receives the forwarded case; B's staff update it and A polls the update back.

let a: TestContext;
let b: TestContext;
let bUrl: string;

before(async () => {
  [a, b] = await Promise.all([createTestContext(), createTestContext({ publicBaseUrl: 'http://b.ingang.test' })]);
  await b.app.listen({ port: 0, host: '127.0.0.1' });
  const address = b.app.server.address();
  bUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/open311/v2/`;
});
after(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

async function kungsbackaOwnResponsibility(t: TestContext) {
  return t.ctx.db
    .selectFrom('responsibilities')
    .innerJoin('organisations', 'organisations.id', 'responsibilities.provider_organisation_id')
    .select(['responsibilities.id', 'organisations.id as organisation_id'])
    .where('organisations.slug', '=', 'kommun-1384')
    .where('responsibilities.kind', '=', 'own')
    .executeTakeFirstOrThrow();
}

test('a forwarded case reaches the second instance by Open311, and its update comes back to the first', async () => {
  const bKungsbacka = await kungsbackaOwnResponsibility(b);
  const keyForA = await newKey(b.ctx, 'Ingång A', { organisationId: bKungsbacka.organisation_id });
  const aResp = await kungsbackaOwnResponsibility(a);
  await a.ctx.db.updateTable('responsibilities')
    .set({ open311_forward: JSON.stringify({ endpoint: bUrl, jurisdiction_id: '1384', api_key: keyForA }) })
    .where('id', '=', aResp.id).execute();

  const aKey = await newKey(a.ctx, 'Medborgarapp');
  const posted = await a.app.inject({
    method: 'POST', url: '/open311/v2/requests.json', headers: FORM,
    payload: form({ api_key: aKey, jurisdiction_id: '1384', service_code: 'street_light', ...PLACES.kungsbacka, 'attribute[is_dark]': 'yes', 'attribute[pole_number]': 'KB-4711', description: 'Tre lampor släckta på Storgatan, det är mörkt.' }),
  });
  assert.equal(posted.statusCode, 200, posted.body);
  const aId = posted.json()[0].service_request_id;
  const aCase = await a.ctx.db.selectFrom('cases').select(['id', 'status']).where('public_id', '=', aId).executeTakeFirstOrThrow();
  const pending = await a.ctx.db.selectFrom('open311_forwards').selectAll().where('case_id', '=', aCase.id).executeTakeFirstOrThrow();
  assert.equal(pending.state, 'pending', 'forwarding waits for the outbox; the citizen request never talks to B');

  await deliverDue(a.ctx);
  const sent = await a.ctx.db.selectFrom('open311_forwards').selectAll().where('case_id', '=', aCase.id).executeTakeFirstOrThrow();
  assert.equal(sent.state, 'sent', sent.last_error ?? '');
  assert.ok(sent.remote_service_request_id);
  const bCase = await b.ctx.db.selectFrom('cases').selectAll().where('public_id', '=', sent.remote_service_request_id!).executeTakeFirstOrThrow();
  assert.equal(bCase.channel, 'open311');
  assert.deepEqual(bCase.attributes, { is_dark: 'yes', pole_number: 'KB-4711' });
  assert.match(bCase.description, /Tre lampor släckta[\s\S]*ärende /);
  assert.equal(bCase.reporter_id, null, 'no personal data is forwarded');
  await deliverDue(a.ctx);
  assert.equal((await b.ctx.db.selectFrom('cases').select('id').where('channel', '=', 'open311').where('description', 'like', 'Tre lampor%').execute()).length, 1, 'delivered once');

  await b.ctx.cases.changeStatus(bCase.id, 'in_progress', { publicNote: 'Elektrikern är på väg.' });
  const firstPoll = await pollForwardedUpdates(a.ctx);
  const polled = await a.ctx.db.selectFrom('open311_forwards').select('last_error').where('case_id', '=', aCase.id).executeTakeFirstOrThrow();
  assert.equal(firstPoll, 1, polled.last_error ?? 'no error');
  const after1 = await a.ctx.db.selectFrom('cases').select('status').where('id', '=', aCase.id).executeTakeFirstOrThrow();
  assert.equal(after1.status, 'in_progress');
  const note = await a.ctx.db.selectFrom('case_events').select(['body', 'visibility', 'external_update_id']).where('case_id', '=', aCase.id).where('kind', '=', 'status_changed').executeTakeFirstOrThrow();
  assert.equal(note.body, 'Elektrikern är på väg.');
  assert.equal(note.visibility, 'public');
  assert.equal(await pollForwardedUpdates(a.ctx), 0, 'polling again records nothing twice');

  await b.ctx.cases.changeStatus(bCase.id, 'fixed', { publicNote: 'Lamporna är bytta.' });
  assert.equal(await pollForwardedUpdates(a.ctx), 1);
  const [feedItem] = (await a.app.inject(`/open311/v2/servicerequestupdates.json?service_request_id=${aId}&start_date=2026-01-01T00:00:00Z&end_date=2030-01-01T00:00:00Z`)).json().slice(-1);
  assert.equal(feedItem.status, 'FIXED');
  assert.equal(feedItem.description, 'Lamporna är bytta.');
});

test('a remote 4xx answer is permanent: the forward is marked failed with a note, not retried', async () => {
  const aResp = await kungsbackaOwnResponsibility(a);
  await a.ctx.db.updateTable('responsibilities')
    .set({ open311_forward: JSON.stringify({ endpoint: bUrl, jurisdiction_id: '1384', api_key: 'ing_wrong' }) })
    .where('id', '=', aResp.id).execute();
  const created = await a.ctx.cases.createCase({ channel: 'web', service_code: 'park', location: { lat: PLACES.kungsbacka.lat, lon: PLACES.kungsbacka.long }, description: 'Trasig bänk' });
  await deliverDue(a.ctx);
  const row = await a.ctx.db.selectFrom('open311_forwards').selectAll().where('case_id', '=', created.case.id).executeTakeFirstOrThrow();
  assert.equal(row.state, 'failed');
  assert.match(row.last_error ?? '', /403/);
  const outbox = await a.ctx.db.selectFrom('outbox').select('status').where('dedupe_key', '=', `open311.forward:${created.case.id}`).executeTakeFirstOrThrow();
  assert.equal(outbox.status, 'dead');
});
