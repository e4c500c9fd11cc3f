import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../../test/helpers/context.js';
import { createApiKey } from '../apikeys/service.js';

let t: TestContext;
const keys: Record<string, string> = {};
before(async () => {
  t = await createTestContext();
  for (const slug of ['kommun-1983', 'kommun-1283', 'kommun-1384']) {
    keys[slug] = (await createApiKey(t.ctx.db, { name: `SCADA ${slug}`, organisationId: await orgId(slug) })).key;
  }
  keys.unscoped = (await createApiKey(t.ctx.db, { name: 'no organisation' })).key;
});
after(async () => t.close());

async function orgId(slug: string): Promise<number> {
  return (await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
}

function alarm(key: string, body: Record<string, unknown>, header: 'bearer' | 'x-api-key' = 'bearer') {
  const headers = header === 'bearer' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key };
  return t.app.inject({ method: 'POST', url: '/api/alarms', headers, payload: body });
}

async function eventsOf(caseId: number, kind?: string) {
  let q = t.ctx.db.selectFrom('case_events').select(['kind', 'status_after', 'data']).where('case_id', '=', caseId);
  if (kind) q = q.where('kind', '=', kind);
  return q.orderBy('id').execute();
}

async function caseCount(): Promise<number> {
  return Number((await t.ctx.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

const PUMP = { source: 'scada-koping', asset_code: 'KPG-PS-07', alarm_type: 'pump_failure', severity: 'critical' };

test('100 repeated alarms for one pump make one case with 100 alarm events', async () => {
  const before = await caseCount();
  const first = await alarm(keys['kommun-1983'], { ...PUMP, alarm_id: 'PS07-4711', text: 'Pump 1 har löst ut', occurred_at: '2026-11-20T03:12:00+01:00' });
  assert.equal(first.statusCode, 201, first.body);
  const body = first.json();
  assert.equal(body.created, true);
  for (let i = 2; i <= 100; i++) {
    const res = await alarm(keys['kommun-1983'], { ...PUMP, alarm_id: 'PS07-4711', text: `upprepning ${i}` }, i % 2 ? 'bearer' : 'x-api-key');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().case_id, body.case_id);
    assert.equal(res.json().messages, i);
  }
  assert.equal(await caseCount(), before + 1);
  assert.equal((await eventsOf(body.case_id, 'alarm')).length, 100);
  const kase = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', body.case_id).executeTakeFirstOrThrow();
  assert.equal(kase.channel, 'alarm');
  assert.equal(kase.priority, 1, 'critical → priority 1');
  assert.ok(kase.sla_due_at, 'priority 1 has an SLA due time');
  assert.equal(kase.organisation_id, await orgId('kommun-1983'));
  const pump = await t.ctx.db.selectFrom('assets').select('id').where('code', '=', 'KPG-PS-07').executeTakeFirstOrThrow();
  assert.equal(kase.asset_id, pump.id);
  assert.deepEqual(kase.attributes, { severity: 'flooding' });
  const row = await t.ctx.db.selectFrom('alarms').selectAll().where('case_id', '=', body.case_id).executeTakeFirstOrThrow();
  assert.equal(row.messages, 100);
});

test('20 parallel repeats of a new alarm still make one case', async () => {
  const before = await caseCount();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => alarm(keys['kommun-1983'], { ...PUMP, alarm_id: 'PS07-4712', severity: 'major', text: `parallel ${i}` })));
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [...Array(19).fill(200), 201].sort());
  const ids = new Set(results.map((r) => r.json().case_id));
  assert.equal(ids.size, 1);
  assert.equal(await caseCount(), before + 1);
  assert.equal((await eventsOf([...ids][0], 'alarm')).length, 20);
});

test('"cleared" records the clearance; Köping has chosen that it marks the case fixed, and a new raise reopens it', async () => {
  const raised = await alarm(keys['kommun-1983'], { ...PUMP, alarm_id: 'PS07-4713', severity: 'minor' });
  const caseId = raised.json().case_id;
  const cleared = await alarm(keys['kommun-1983'], { ...PUMP, alarm_id: 'PS07-4713', severity: 'minor', state: 'cleared', text: 'Nivå normal' });
  assert.equal(cleared.statusCode, 200, cleared.body);
  assert.equal(cleared.json().case_status, 'fixed');
  assert.equal(cleared.json().alarm_state, 'cleared');
  const kinds = (await eventsOf(caseId)).map((e) => e.kind);
  assert.deepEqual(kinds.slice(-2), ['alarm_cleared', 'status_changed']);
  const again = await alarm(keys['kommun-1983'], { ...PUMP, alarm_id: 'PS07-4713', severity: 'minor' });
  assert.equal(again.json().case_status, 'reopened');
  const unknown = await alarm(keys['kommun-1983'], { ...PUMP, alarm_id: 'never-raised', state: 'cleared' });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.field, 'alarm_id');
});

test('a lighting cabinet alarm goes to the contractor responsible for it; clearing leaves the status to the staff unless the org opts in', async () => {
  const raised = await alarm(keys['kommun-1283'], { source: 'belysning', alarm_id: 'BS017-1', asset_code: 'HBG-BS-017', alarm_type: 'power_loss', severity: 'warning' });
  assert.equal(raised.statusCode, 201, raised.body);
  const kase = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', raised.json().case_id).executeTakeFirstOrThrow();
  assert.equal(kase.organisation_id, await orgId('ljusdrift'));
  assert.equal(kase.priority, 3, 'warning → priority 3');
  assert.match(kase.routing.explanation_sv, /Ljusdrift Öresund AB, ansvarig för belysningsskåp HBG-BS-017/);
  const worse = await alarm(keys['kommun-1283'], { source: 'belysning', alarm_id: 'BS017-1', asset_code: 'HBG-BS-017', alarm_type: 'power_loss', severity: 'critical' });
  assert.equal(worse.statusCode, 200);
  const escalated = await t.ctx.db.selectFrom('cases').select(['priority', 'sla_due_at']).where('id', '=', kase.id).executeTakeFirstOrThrow();
  assert.equal(escalated.priority, 1, 'a worse severity raises the priority');
  assert.ok(escalated.sla_due_at! < kase.sla_due_at!, 'and brings the SLA due time forward');
  const cleared = await alarm(keys['kommun-1283'], { source: 'belysning', alarm_id: 'BS017-1', asset_code: 'HBG-BS-017', alarm_type: 'power_loss', severity: 'critical', state: 'cleared' });
  assert.equal(cleared.json().case_status, 'submitted');

  const admin = await signIn(t.app, 'admin@koping.demo');
  const switched = await t.app.inject({ method: 'POST', url: '/api/staff/organisation', headers: admin, payload: { organisation_id: await orgId('kommun-1983') } });
  assert.equal(switched.statusCode, 200, switched.body);
  const setting = await t.app.inject({ url: '/api/alarms/settings', headers: admin });
  assert.deepEqual(setting.json(), { clear_sets_fixed: true });
});

test('API keys are scoped: another organisation cannot raise alarms on your assets or places', async () => {
  const before = await caseCount();
  const foreign = await alarm(keys['kommun-1384'], { ...PUMP, alarm_id: 'x-1' });
  assert.equal(foreign.statusCode, 400);
  assert.equal(foreign.json().error.field, 'asset_code');
  const place = await alarm(keys['kommun-1384'], { alarm_id: 'x-2', alarm_type: 'flooding', severity: 'major', service_code: 'other', lat: 59.5189, long: 16.0085 });
  assert.equal(place.statusCode, 403);
  assert.equal(place.json().error.code, 'outside_scope');
  const unscoped = await alarm(keys.unscoped, { ...PUMP, alarm_id: 'x-3' });
  assert.equal(unscoped.statusCode, 403);
  const none = await t.app.inject({ method: 'POST', url: '/api/alarms', payload: { ...PUMP, alarm_id: 'x-4' } });
  assert.equal(none.statusCode, 401);
  const wrongKey = await alarm('ing_00000000_not-a-real-key', { ...PUMP, alarm_id: 'x-5' });
  assert.equal(wrongKey.statusCode, 401);
  assert.equal(await caseCount(), before, 'nothing was stored');
  const stored = await t.ctx.db.selectFrom('alarms').select('id').where('source_alarm_id', 'like', 'x-%').execute();
  assert.equal(stored.length, 0);

  const own = await alarm(keys['kommun-1983'], { alarm_id: 'loc-1', alarm_type: 'flooding', severity: 'minor', service_code: 'other', lat: 59.5189, long: 16.0085 });
  assert.equal(own.statusCode, 201, own.body);
  const bad = await alarm(keys['kommun-1983'], { alarm_id: 'loc-2', alarm_type: 'flooding', severity: 'urgent', lat: 59.5, long: 16.0 });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.field, 'severity');
  const noPlace = await alarm(keys['kommun-1983'], { alarm_id: 'loc-3', alarm_type: 'flooding', severity: 'minor' });
  assert.equal(noPlace.json().error.field, 'asset_code');
});
