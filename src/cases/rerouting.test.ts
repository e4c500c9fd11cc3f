import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../../test/helpers/context.js';

let t: TestContext;
const orgs = new Map<string, number>();
before(async () => {
  t = await createTestContext();
  for (const o of await t.ctx.db.selectFrom('organisations').select(['id', 'slug']).execute()) orgs.set(o.slug, o.id);
});
after(async () => t.close());

async function post(url: string, headers: object, payload: unknown) {
  const res = await t.app.inject({ method: 'POST', url, headers: headers as Record<string, string>, payload: payload as object });
  return { status: res.statusCode, body: res.json() };
}
async function get(url: string, headers: object) {
  const res = await t.app.inject({ method: 'GET', url, headers: headers as Record<string, string> });
  return { status: res.statusCode, body: res.json() };
}
const outboxOf = (kind: string, caseId: number) =>
  t.ctx.db.selectFrom('outbox').select(['organisation_id', 'payload']).where('kind', '=', kind).execute()
    .then((rows) => rows.filter((r) => (r.payload as { case_id: number }).case_id === caseId));

test('changing the category re-routes: new decision stored, the case moves, the old body keeps the history', async () => {
  const { case: kase } = await t.ctx.cases.createCase({ service_code: 'street_light', location: { lat: 59.3939, lon: 15.8386 }, channel: 'web', description: 'Lampan är släckt', attributes: { is_dark: 'yes' } });
  assert.equal(kase.organisation_id, orgs.get('kommun-1984'));
  const arboga = await signIn(t.app, 'agent@arboga.demo');
  const res = await post(`/api/staff/cases/${kase.id}/reroute`, arboga, { expected_version: kase.version, service_code: 'full_bin', note: 'Det gäller en full papperskorg' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.moved, true);
  assert.equal(res.body.organisation_id, orgs.get('kak-avfall'));
  assert.match(res.body.decision.explanation_sv, /^Arboga, Renhållning och avfall → Gemensamma avfallsnämnden Arboga–Köping–Kungsör enligt avtal 2016\/42$/);

  const stored = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', kase.id).executeTakeFirstOrThrow();
  assert.equal(stored.organisation_id, orgs.get('kak-avfall'));
  assert.equal(stored.routing.reference, '2016/42');
  assert.equal(stored.version, kase.version + 1);
  const event = await t.ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', kase.id).where('kind', '=', 'rerouted').executeTakeFirstOrThrow();
  assert.equal(event.visibility, 'internal');
  const data = event.data as { before: { decision: { provider_organisation_id: number } }; after: { decision: { provider_organisation_id: number } } };
  assert.equal(data.before.decision.provider_organisation_id, orgs.get('kommun-1984'));
  assert.equal(data.after.decision.provider_organisation_id, orgs.get('kak-avfall'));
  assert.equal((await outboxOf('case.rerouted', kase.id)).length, 1);

  // Both bodies see the routing history; the old one is no longer the owner and cannot move it again.
  const koping = await signIn(t.app, 'handler@koping.demo');
  const forNew = await get(`/api/staff/cases/${kase.id}/routing`, koping);
  assert.equal(forNew.status, 200);
  assert.equal(forNew.body.owner, true);
  assert.deepEqual(forNew.body.history.map((e: { kind: string }) => e.kind), ['routed', 'rerouted']);
  const forOld = await get(`/api/staff/cases/${kase.id}/routing`, arboga);
  assert.equal(forOld.status, 200);
  assert.equal(forOld.body.owner, false);
  assert.deepEqual(forOld.body.former_owners.map((a: { organisation_id: number; reason: string }) => [a.organisation_id, a.reason]), [[orgs.get('kommun-1984'), 'rerouted']]);
  assert.equal((await post(`/api/staff/cases/${kase.id}/reroute`, arboga, { expected_version: stored.version, service_code: 'street_light' })).status, 404);
  assert.equal((await get(`/api/staff/cases/${kase.id}/routing`, await signIn(t.app, 'handler@kungsbacka.demo'))).status, 404);
});

test('moving the pin re-routes by place; a pin at sea is refused and nothing changes', async () => {
  const { case: kase } = await t.ctx.cases.createCase({ service_code: 'pothole', location: { lat: 57.4875, lon: 12.0761 }, channel: 'web', description: 'Hål' });
  assert.equal(kase.organisation_id, orgs.get('kommun-1384'));
  const kungsbacka = await signIn(t.app, 'handler@kungsbacka.demo');
  const atSea = await post(`/api/staff/cases/${kase.id}/reroute`, kungsbacka, { expected_version: kase.version, location: { lat: 57.45, lon: 11.8 } });
  assert.equal(atSea.status, 400);
  assert.equal(atSea.body.error.code, 'not_in_municipality');
  const bad = await post(`/api/staff/cases/${kase.id}/reroute`, kungsbacka, { expected_version: kase.version, location: { lat: 'x', lon: 12 } });
  assert.equal(bad.body.error.field, 'lat');
  const nothing = await post(`/api/staff/cases/${kase.id}/reroute`, kungsbacka, { expected_version: kase.version });
  assert.equal(nothing.body.error.field, 'service_code');
  assert.equal((await t.ctx.db.selectFrom('cases').select('version').where('id', '=', kase.id).executeTakeFirstOrThrow()).version, kase.version);

  const onE6 = await post(`/api/staff/cases/${kase.id}/reroute`, kungsbacka, { expected_version: kase.version, location: { lat: 57.505, lon: 12.0875 } });
  assert.equal(onE6.status, 200, JSON.stringify(onE6.body));
  assert.equal(onE6.body.organisation_id, orgs.get('trafikverket'));
  assert.equal(onE6.body.decision.area_kind, 'road_corridor');
  const stale = await post(`/api/staff/cases/${kase.id}/reroute`, kungsbacka, { expected_version: kase.version, service_code: 'graffiti' });
  assert.equal(stale.status, 404, 'no longer ours');
});

test('forward to another body with a reason: the case moves, the new body is notified, both see the history', async () => {
  const { case: kase } = await t.ctx.cases.createCase({ service_code: 'litter', location: { lat: 57.4875, lon: 12.0761 }, channel: 'web', description: 'Skräp vid påfarten' });
  const kungsbacka = await signIn(t.app, 'handler@kungsbacka.demo');
  const noReason = await post(`/api/staff/cases/${kase.id}/forward`, kungsbacka, { expected_version: kase.version, organisation_id: orgs.get('trafikverket'), reason: ' ' });
  assert.equal(noReason.body.error.field, 'reason');
  const toContractor = await post(`/api/staff/cases/${kase.id}/forward`, kungsbacka, { expected_version: kase.version, organisation_id: orgs.get('ljusdrift'), reason: 'Belysning' });
  assert.equal(toContractor.body.error.field, 'organisation_id');
  const toSelf = await post(`/api/staff/cases/${kase.id}/forward`, kungsbacka, { expected_version: kase.version, organisation_id: orgs.get('kommun-1384'), reason: 'Vårt' });
  assert.equal(toSelf.body.error.field, 'organisation_id');
  const stale = await post(`/api/staff/cases/${kase.id}/forward`, kungsbacka, { expected_version: kase.version + 5, organisation_id: orgs.get('trafikverket'), reason: 'Statlig väg' });
  assert.equal(stale.status, 409);

  const res = await post(`/api/staff/cases/${kase.id}/forward`, kungsbacka, { expected_version: kase.version, organisation_id: orgs.get('trafikverket'), reason: 'Påfarten till E6 sköts av Trafikverket' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const stored = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', kase.id).executeTakeFirstOrThrow();
  assert.equal(stored.organisation_id, orgs.get('trafikverket'));
  assert.equal(stored.status, kase.status, 'the case stays open for the new body');
  assert.equal(stored.responsibility_id, null);
  assert.equal(stored.routing.kind, 'manual');
  assert.match(stored.routing.explanation_sv, /^Vidarebefordrat av Kungsbacka kommun till Trafikverket: Påfarten/);
  const [note] = await outboxOf('case.forwarded', kase.id);
  assert.equal(note.organisation_id, orgs.get('trafikverket'));

  const trafikverket = await signIn(t.app, 'handler@trafikverket.demo');
  const forNew = await get(`/api/staff/cases/${kase.id}/routing`, trafikverket);
  assert.deepEqual(forNew.body.history.map((e: { kind: string }) => e.kind), ['routed', 'forwarded']);
  assert.equal(forNew.body.history[1].body, 'Påfarten till E6 sköts av Trafikverket');
  const forOld = await get(`/api/staff/cases/${kase.id}/routing`, kungsbacka);
  assert.equal(forOld.status, 200);
  assert.equal(forOld.body.former_owners[0].reason, 'forwarded');

  await t.ctx.cases.changeStatus(kase.id, 'fixed', {});
  const closed = await post(`/api/staff/cases/${kase.id}/forward`, trafikverket, { expected_version: stored.version + 1, organisation_id: orgs.get('kommun-1384'), reason: 'Tillbaka' });
  assert.equal(closed.status, 409);
  assert.equal(closed.body.error.code, 'case_closed');
});
