import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';
import { helsingborgCase } from './helpers.js';

// A foreign id gives 404 on every case route, never another body's data; the queue never lists it.

let t: TestContext;
let foreign: { id: number; public_id: string; version: number };
let attachmentId: number;
let own: { id: number; public_id: string; version: number };

before(async () => {
  t = await createTestContext();
  foreign = await helsingborgCase(t);
  const row = await t.ctx.db.insertInto('attachments').values({
    case_id: foreign.id, organisation_id: (await t.ctx.db.selectFrom('cases').select('organisation_id').where('id', '=', foreign.id).executeTakeFirstOrThrow()).organisation_id,
    storage_key: '0123456789abcdef0123456789abcdef.jpg', content_type: 'image/jpeg', bytes: 10, visibility: 'public',
  }).returning('id').executeTakeFirstOrThrow();
  attachmentId = row.id;
  const kungsbacka = await t.ctx.db.selectFrom('cases').innerJoin('organisations', 'organisations.id', 'cases.organisation_id')
    .select(['cases.id', 'cases.public_id', 'cases.version']).where('organisations.slug', '=', 'kommun-1384').where('cases.status', '=', 'submitted').executeTakeFirstOrThrow();
  own = kungsbacka;
});
after(async () => t.close());

function caseRoutes(ref: string | number, version: number) {
  return [
    { method: 'GET', url: `/api/staff/cases/${ref}` },
    { method: 'POST', url: `/api/staff/cases/${ref}/assign`, payload: { expected_version: version, assignee_user_id: null } },
    { method: 'POST', url: `/api/staff/cases/${ref}/status`, payload: { expected_version: version, status: 'confirmed' } },
    { method: 'POST', url: `/api/staff/cases/${ref}/priority`, payload: { expected_version: version, priority: 1 } },
    { method: 'POST', url: `/api/staff/cases/${ref}/notes`, payload: { visibility: 'internal', body: 'x' } },
    { method: 'POST', url: `/api/staff/cases/${ref}/photos`, payload: { visibility: 'internal' } },
    { method: 'POST', url: `/api/staff/cases/${ref}/merge`, payload: { expected_version: version, into: String(own.id) } },
    { method: 'POST', url: `/api/staff/cases/${ref}/contractor`, payload: { expected_version: version, contractor_organisation_id: null } },
  ] as const;
}

test('a handler of another body gets 404 on every case route, by id and by case number', async () => {
  const h = await signIn(t.app, 'handler@kungsbacka.demo');
  for (const ref of [foreign.id, foreign.public_id]) {
    for (const r of caseRoutes(ref, foreign.version)) {
      const res = await t.app.inject({ method: r.method, url: r.url, headers: h, payload: 'payload' in r ? r.payload : undefined });
      assert.equal(res.statusCode, 404, `${r.method} ${r.url}: ${res.body}`);
      assert.ok(!res.body.includes('Gatlampan'), 'no data of the foreign case');
    }
  }
  const into = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${own.id}/merge`, headers: h, payload: { expected_version: own.version, into: foreign.public_id } });
  assert.equal(into.statusCode, 404, 'merging into a foreign case is "not found" too');
  assert.equal((await t.app.inject({ method: 'GET', url: `/api/staff/attachments/${attachmentId}`, headers: h })).statusCode, 404);
  const after = await t.ctx.db.selectFrom('cases').select(['version', 'status', 'priority']).where('id', '=', foreign.id).executeTakeFirstOrThrow();
  assert.equal(after.version, foreign.version, 'nothing changed');
  const queue = (await t.app.inject({ method: 'GET', url: `/api/staff/cases?limit=200&q=${foreign.public_id}`, headers: h })).json();
  assert.equal(queue.total, 0);
  const map = (await t.app.inject({ method: 'GET', url: '/api/staff/cases/map', headers: h })).json();
  assert.ok(!map.points.some((p: { id: number }) => p.id === foreign.id));
});

test('a contractor gets 404 for cases not given to it, and the done route too', async () => {
  const c = await signIn(t.app, 'contractor@ljusdrift.demo');
  const res = await t.app.inject({ method: 'GET', url: `/api/staff/cases/${foreign.id}`, headers: c });
  assert.equal(res.statusCode, 404);
  const done = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${foreign.id}/done`, headers: c, payload: { note: 'x', expected_version: foreign.version } });
  assert.equal(done.statusCode, 404);
  const note = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${foreign.id}/notes`, headers: c, payload: { visibility: 'internal', body: 'x' } });
  assert.equal(note.statusCode, 404);
  const queue = (await t.app.inject({ method: 'GET', url: '/api/staff/cases?limit=200', headers: c })).json();
  assert.equal(queue.total, 0);
});

test('switching organisation switches the scope (Köping handler: joint waste vs Köping)', async () => {
  const h = await signIn(t.app, 'handler@koping.demo');
  const me = (await t.app.inject({ method: 'GET', url: '/api/staff/me', headers: h })).json();
  const first = (await t.app.inject({ method: 'GET', url: '/api/staff/cases?limit=200', headers: h })).json();
  assert.ok(first.items.every((i: { organisation_id: number }) => i.organisation_id === me.organisation_id));
  const other = me.memberships.find((m: { organisation_id: number }) => m.organisation_id !== me.organisation_id).organisation_id;
  await t.app.inject({ method: 'POST', url: '/api/staff/organisation', headers: h, payload: { organisation_id: other } });
  const second = (await t.app.inject({ method: 'GET', url: '/api/staff/cases?limit=200', headers: h })).json();
  assert.ok(second.items.length > 0);
  assert.ok(second.items.every((i: { organisation_id: number }) => i.organisation_id === other));
  if (first.items.length) {
    const res = await t.app.inject({ method: 'GET', url: `/api/staff/cases/${first.items[0].id}`, headers: h });
    assert.equal(res.statusCode, 404);
  }
});
