import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { captureQueries, meaningful } from '../perf/capture.js';
import { form, FORM, newKey, open311Validators, PLACES } from './helpers.js';
import { parseRequests } from '../../src/open311/client.js';

// GET requests reuses a rendered list while the fingerprint of its rows is unchanged (src/open311/page-cache.ts).
// A reused list must be byte-identical to a fresh one, and any change that shows in the list must show at once.

let t: TestContext;
let key: string;
const v = open311Validators();
const LIST = '/open311/v2/requests.json?jurisdiction_id=1283';

before(async () => {
  t = await createTestContext();
  key = await newKey(t.ctx);
});
after(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const post = (url: string, fields: Record<string, string>) => t.app.inject({ method: 'POST', url, headers: FORM, payload: form({ api_key: key, ...fields }) });
type Listed = { service_request_id: string; status: string; status_notes: string | null; service_name: string; description: string | null };
const find = (body: string, id: string) => (JSON.parse(body) as Listed[]).find((r) => r.service_request_id === id);

/** Statements that read the list's rows (not the fingerprint, the key or the municipality). */
async function listReads(url: string) {
  const { result, queries } = await captureQueries(() => get(url));
  return { body: result.body, reads: meaningful(queries).filter((q) => /"status_notes"/.test(q.text)).length };
}

test('an unchanged list is sent again without reading its rows; every change shows in the next answer', async () => {
  const created = await post('/open311/v2/requests.json', { jurisdiction_id: '1283', service_code: 'street_light', ...PLACES.helsingborg, description: 'Lampan blinkar', 'attribute[is_dark]': 'no' });
  assert.equal(created.statusCode, 200, created.body);
  const id = created.json()[0].service_request_id as string;

  const first = await listReads(LIST);
  assert.equal(first.reads, 1);
  assert.equal(find(first.body, id)?.status, 'open');
  const again = await listReads(LIST);
  assert.equal(again.reads, 0, 'the second answer comes from the cache');
  assert.equal(again.body, first.body);
  assert.equal(v.requests(JSON.parse(again.body)), null);

  // A change of state (the case row).
  const fixed = await post('/open311/v2/servicerequestupdates.json', { service_request_id: id, update_id: 'cache-1', status: 'FIXED', updated_datetime: '2026-11-23T12:00:00+01:00', description: 'Lampan är bytt' });
  assert.equal(fixed.statusCode, 200, fixed.body);
  const afterFix = await listReads(LIST);
  assert.equal(afterFix.reads, 1);
  assert.deepEqual([find(afterFix.body, id)?.status, find(afterFix.body, id)?.status_notes], ['closed', 'Lampan är bytt']);

  // A public comment that leaves the case row as it is (a status that implies no change).
  const comment = await post('/open311/v2/servicerequestupdates.json', { service_request_id: id, update_id: 'cache-2', status: 'FIXED', updated_datetime: '2026-11-23T13:00:00+01:00', description: 'Kontrollerad på plats' });
  assert.equal(comment.statusCode, 200, comment.body);
  assert.equal(find((await get(LIST)).body, id)?.status_notes, 'Kontrollerad på plats');

  // A renamed service (another table).
  await t.ctx.db.updateTable('services').set({ name_sv: 'Gatubelysning (nytt namn)' }).where('service_code', '=', 'street_light').execute();
  assert.equal(find((await get(LIST)).body, id)?.service_name, 'Gatubelysning (nytt namn)');

  // A case made confidential leaves the list.
  await t.ctx.db.updateTable('cases').set({ confidential: true }).where('public_id', '=', id).execute();
  assert.equal(find((await get(LIST)).body, id), undefined);
});

test('the cached list keeps each format and language apart', async () => {
  const json = (await get(LIST)).body;
  const english = (await get(`${LIST}&locale=en`)).body;
  const xml = (await get(LIST.replace('.json', '.xml'))).body;
  assert.notEqual(json, english);
  assert.match(xml, /^<\?xml/);
  assert.deepEqual(parseRequests(xml).map((r) => r.service_request_id), (JSON.parse(json) as Listed[]).map((r) => r.service_request_id));
  assert.equal((await get(`${LIST}&locale=en`)).body, english);
  assert.equal((await get(LIST.replace('.json', '.xml'))).body, xml);
});
