import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../../test/helpers/context.js';

// The story at the API: an agent in Arboga registers a phone call about a full bin → routed to
// Köping's joint waste service; nearby cases first; knowledge base; resolved at first contact.

let t: TestContext;
type Headers = { cookie: string; 'x-csrf-token': string };
let agent: Headers;
const ARBOGA = { lat: 59.3940, lon: 15.8380 };

before(async () => {
  t = await createTestContext();
  agent = await signIn(t.app, 'agent@arboga.demo');
});
after(async () => t.close());

const post = (h: Headers, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: h, payload });

test('a phone call in Arboga about a full bin is registered with the agent as actor and routed to the joint waste service', async () => {
  const res = await post(agent, '/api/staff/cases', {
    service_code: 'full_bin', channel: 'phone', description: 'Papperskorgen vid torget är överfull.', ...ARBOGA,
    attributes: { bin_type: 'park_bin' }, reporter: { name: 'Britt Ring', phone: '0589-123 45', email: 'britt@example.se' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.match(body.public_id, /^[A-Z]{2,6}-\d{4}-\d{5}$/);
  assert.match(body.organisation.name, /avfallsnämnden/);
  assert.match(body.routing.explanation_sv, /2016\/42/);
  assert.equal(body.in_scope, false, 'Arboga\'s agent registered it, Köping\'s joint service owns it');
  const row = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
  assert.equal(row.channel, 'phone');
  const created = await t.ctx.db.selectFrom('case_events').innerJoin('users', 'users.id', 'case_events.actor_user_id')
    .select(['users.email']).where('case_id', '=', body.id).where('kind', '=', 'created').executeTakeFirstOrThrow();
  assert.equal(created.email, 'agent@arboga.demo');
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/staff/cases/${body.id}`, headers: agent })).statusCode, 404, 'not in Arboga\'s queue');
  const koping = await signIn(t.app, 'handler@koping.demo');
  const page = (await t.app.inject({ method: 'GET', url: `/api/staff/cases/${body.public_id}`, headers: koping })).json();
  assert.equal(page.case.id, body.id);
  assert.equal(page.reporter.phone, '0589-123 45', 'the owning body\'s handler sees the caller\'s contact');

  const wrongChannel = await post(agent, '/api/staff/cases', { service_code: 'full_bin', channel: 'web', ...ARBOGA });
  assert.equal(wrongChannel.statusCode, 400);
  assert.equal(wrongChannel.json().error.field, 'channel');
  const unknown = await post(agent, '/api/staff/cases', { service_code: 'nope', channel: 'phone', ...ARBOGA });
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().error.field, 'service_code');
});

test('the next caller sees the case nearby first and is added as follower; a duplicate registration is flagged', async () => {
  const first = (await post(agent, '/api/staff/cases', { service_code: 'full_bin', channel: 'visit', description: 'Full papperskorg', lat: ARBOGA.lat + 0.001, lon: ARBOGA.lon })).json();
  const near = await t.app.inject({ method: 'GET', url: `/api/staff/cases/nearby?lat=${ARBOGA.lat + 0.0011}&lon=${ARBOGA.lon}&service=full_bin`, headers: agent });
  assert.equal(near.statusCode, 200, near.body);
  const items = near.json().items;
  assert.equal(items[0].id, first.id);
  assert.equal(items[0].service_code, 'full_bin');
  assert.ok(items[0].distance_m < 20);
  assert.ok(!JSON.stringify(items).includes('reporter'), 'public details only');
  let res = await post(agent, `/api/staff/cases/${first.id}/followers`, { email: 'Nasse@Example.se' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().already, false);
  res = await post(agent, `/api/staff/cases/${first.id}/followers`, { email: 'nasse@example.se' });
  assert.equal(res.json().already, true);
  const followers = await t.ctx.db.selectFrom('case_followers').select('email').where('case_id', '=', first.id).execute();
  assert.deepEqual(followers.map((f) => f.email), ['nasse@example.se']);
  const event = await t.ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', first.id).where('kind', '=', 'follower_added').executeTakeFirstOrThrow();
  assert.equal(event.visibility, 'internal');
  assert.ok(!JSON.stringify(event).includes('nasse'), 'the e-mail address stays out of the event');
  assert.equal((await post(agent, `/api/staff/cases/${first.id}/followers`, { email: 'not-an-email' })).statusCode, 400);
  const second = (await post(agent, '/api/staff/cases', { service_code: 'full_bin', channel: 'phone', lat: ARBOGA.lat + 0.0012, lon: ARBOGA.lon })).json();
  assert.ok(second.possible_duplicates.some((d: { id: number }) => d.id === first.id));
});

test('knowledge base per service, and resolved at first contact closes the case with the answer as public note', async () => {
  const kb = (await t.app.inject({ method: 'GET', url: '/api/staff/knowledge?service_code=full_bin', headers: agent })).json();
  assert.equal(kb.answers.length, 1);
  assert.match(kb.answers[0].answer_sv, /papperskorg/i);
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/staff/knowledge?service_code=nope', headers: agent })).statusCode, 404);
  const missing = await post(agent, '/api/staff/cases', { service_code: 'full_bin', channel: 'phone', ...ARBOGA, resolved_at_first_contact: true });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().error.field, 'resolution');
  const res = await post(agent, '/api/staff/cases', {
    service_code: 'full_bin', channel: 'phone', ...ARBOGA, description: 'Fråga om hushållskärl',
    resolved_at_first_contact: true, resolution: kb.answers[0].answer_sv,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().status, 'closed');
  assert.equal(res.json().resolved_at_first_contact, true);
  const row = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow();
  assert.equal(row.resolved_at_first_contact, true);
  assert.ok(row.closed_at);
  const closing = await t.ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', row.id).where('status_after', '=', 'closed').executeTakeFirstOrThrow();
  assert.equal(closing.visibility, 'public');
  assert.equal(closing.body, kb.answers[0].answer_sv);
  const contractor = await signIn(t.app, 'contractor@ljusdrift.demo');
  assert.equal((await post(contractor, '/api/staff/cases', { service_code: 'full_bin', channel: 'phone', ...ARBOGA })).statusCode, 403);
});

test('a caller who reads out the number on a pole needs no place: the pole gives it, and its contractor gets the case', async () => {
  const helsingborg = await signIn(t.app, 'agent@helsingborg.demo');
  const res = await post(helsingborg, '/api/staff/cases', {
    service_code: 'street_light', channel: 'phone', asset_code: ' HBG-L-00123 ', attributes: { is_dark: 'yes' }, description: 'Stolpen lyser inte.',
  });
  assert.equal(res.statusCode, 200, res.body);
  const kase = await t.ctx.db.selectFrom('cases').innerJoin('organisations as o', 'o.id', 'cases.organisation_id').innerJoin('assets as a', 'a.id', 'cases.asset_id')
    .select(['o.slug', 'a.code', 'cases.lat', 'cases.channel']).where('cases.id', '=', res.json().id).executeTakeFirstOrThrow();
  assert.deepEqual({ slug: kase.slug, code: kase.code, channel: kase.channel }, { slug: 'ljusdrift', code: 'HBG-L-00123', channel: 'phone' });
  assert.ok(Math.abs(kase.lat! - 56.04508) < 1e-6, 'the pole\'s place');
  assert.match(res.json().routing.explanation_sv, /HBG-L-00123/);
  // Whoever goes out to it sees the pole's number: on the case page and in the contractor's work orders.
  const field = await signIn(t.app, 'contractor@ljusdrift.demo');
  const detail = (await t.app.inject({ url: `/api/staff/cases/${res.json().public_id}`, headers: field })).json();
  assert.deepEqual({ code: detail.case.asset.code, name: detail.case.asset.name_sv, listed: detail.case.asset_code }, { code: 'HBG-L-00123', name: 'Belysningsstolpe', listed: 'HBG-L-00123' });
  const orders = (await t.app.inject({ url: '/api/staff/contractor/orders', headers: field })).json();
  assert.equal(orders.items.find((i: { public_id: string }) => i.public_id === res.json().public_id)?.asset_code, 'HBG-L-00123');

  const count = async () => Number((await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const before = await count();
  const unknown = await post(helsingborg, '/api/staff/cases', { service_code: 'street_light', channel: 'phone', asset_code: 'NO-SUCH-POLE', attributes: { is_dark: 'yes' } });
  assert.equal(unknown.statusCode, 400, unknown.body);
  assert.equal(unknown.json().error.field, 'asset_code');
  assert.equal(await count(), before);
});
