import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

async function get(headers: Record<string, string>, url: string) {
  return t.app.inject({ method: 'GET', url, headers });
}
async function post(headers: Record<string, string>, url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers, payload: payload as object });
}

test('the queue lists only my organisation\'s cases, with counts and keyset pages', async () => {
  const h = await signIn(t.app, 'handler@kungsbacka.demo');
  const me = (await get(h, '/api/staff/me')).json();
  const first = await get(h, '/api/staff/cases?limit=5');
  assert.equal(first.statusCode, 200, first.body);
  const page = first.json();
  assert.equal(page.items.length, 5);
  assert.ok(page.items.every((i: { organisation_id: number }) => i.organisation_id === me.organisation_id));
  assert.ok(page.next_cursor);
  const second = (await get(h, `/api/staff/cases?limit=5&cursor=${page.next_cursor}`)).json();
  const ids = new Set([...page.items, ...second.items].map((i: { id: number }) => i.id));
  assert.equal(ids.size, 10);
  const counted = Object.values(page.counts.by_status as Record<string, number>).reduce((a, b) => a + b, 0);
  assert.equal(counted, page.total);
});
