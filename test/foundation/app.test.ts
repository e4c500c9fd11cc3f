import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

test('GET /healthz says the database is reachable', async () => {
  const res = await t.app.inject('/healthz');
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().status, 'ok');
});

test('staff sign in with e-mail and password; wrong passwords are refused and throttled', async () => {
  const headers = await signIn(t.app, 'handler@koping.demo');
  const me = await t.app.inject({ url: '/api/staff/me', headers: { cookie: headers.cookie } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().memberships.length, 2);
  const wrong = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { email: 'agent@arboga.demo', password: 'nope' } });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().error.field, 'password');
  for (let i = 0; i < 10; i++) await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { email: 'agent@arboga.demo', password: 'nope' } });
  const throttled = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { email: 'agent@arboga.demo', password: 'ingang-demo' } });
  assert.equal(throttled.statusCode, 429);
});

test('changes need the CSRF token; switching organisation needs a membership', async () => {
  const headers = await signIn(t.app, 'handler@koping.demo');
  const me = (await t.app.inject({ url: '/api/staff/me', headers: { cookie: headers.cookie } })).json();
  const other = me.memberships.find((m: { organisation_id: number }) => m.organisation_id !== me.organisation_id);
  const noCsrf = await t.app.inject({ method: 'POST', url: '/api/staff/organisation', headers: { cookie: headers.cookie }, payload: { organisation_id: other.organisation_id } });
  assert.equal(noCsrf.statusCode, 403);
  const ok = await t.app.inject({ method: 'POST', url: '/api/staff/organisation', headers, payload: { organisation_id: other.organisation_id } });
  assert.equal(ok.statusCode, 200);
  const notMine = await t.app.inject({ method: 'POST', url: '/api/staff/organisation', headers, payload: { organisation_id: 1 } });
  assert.equal(notMine.statusCode, 403);
  assert.equal(notMine.json().error.field, 'organisation_id');
});

test('validation errors name the field', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { email: 'x@y.se' } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.field, 'password');
});

test('browser navigations get the right app; unknown API paths stay JSON 404s', async () => {
  const start = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
  assert.equal(start.statusCode, 200);
  assert.match(start.headers['content-type'] as string, /text\/html/);
  const deep = await t.app.inject({ url: '/k/1384', headers: { accept: 'text/html,application/xhtml+xml' } });
  assert.equal(deep.statusCode, 200);
  assert.match(deep.body, /citizen/);
  const staff = await t.app.inject({ url: '/staff/cases/1', headers: { accept: 'text/html' } });
  assert.equal(staff.statusCode, 200);
  assert.match(staff.body, /staff/);
  const api = await t.app.inject({ url: '/api/nope', headers: { accept: 'text/html' } });
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().error.code, 'not_found');
});
