import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { FORM, form, newKey, PLACES } from '../open311/helpers.js';

// One Idempotency-Key mechanism (src/idempotency) on the citizen report route and Open311 POST requests.

describe('Idempotency-Key', () => {
  let t: TestContext;
  let apiKey: string;
  before(async () => {
    t = await createTestContext();
    apiKey = await newKey(t.ctx, 'Idempotenstest', { rateLimitPerMinute: 10_000 });
  });
  after(() => t.close());

  const countCases = async (description: string) =>
    Number((await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).where('description', '=', description).executeTakeFirstOrThrow()).n);
  const webReport = (body: Record<string, unknown>, key: string, ip = '10.1.1.1') =>
    t.app.inject({ method: 'POST', url: '/api/public/reports', payload: body, headers: { 'idempotency-key': key, 'x-forwarded-for': ip } });
  const open311Post = (fields: Record<string, string>, key: string) =>
    t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: form({ api_key: apiKey, ...fields }), headers: { ...FORM, 'idempotency-key': key } });

  it('50 parallel identical citizen reports with one key make one case and the same answer', async () => {
    const body = { service_code: 'graffiti', description: 'Femtio på en gång (webb)', lat: '57.4875', lon: '12.0761' };
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => webReport(body, 'web-fifty-0001', `10.2.0.${i}`)));
    const ok = answers.filter((a) => a.statusCode === 201);
    assert.ok(answers.every((a) => a.statusCode === 201 || a.statusCode === 409), answers.map((a) => a.statusCode).join());
    assert.ok(ok.length >= 1);
    assert.equal(new Set(ok.map((a) => a.json().case_number)).size, 1);
    assert.equal(await countCases(body.description), 1);
    const again = await webReport(body, 'web-fifty-0001');
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().case_number, ok[0].json().case_number);
  });

  it('50 parallel identical Open311 POSTs with one key make one case', async () => {
    const fields = { jurisdiction_id: '1384', service_code: 'pothole', description: 'Femtio på en gång (Open311)', ...PLACES.kungsbacka };
    const answers = await Promise.all(Array.from({ length: 50 }, () => open311Post(fields, 'o311-fifty-0001')));
    assert.ok(answers.every((a) => a.statusCode === 200 || a.statusCode === 409), answers.map((a) => a.statusCode).join());
    const ids = new Set(answers.filter((a) => a.statusCode === 200).map((a) => a.json()[0].service_request_id));
    assert.equal(ids.size, 1);
    assert.equal(await countCases(fields.description), 1);
  });

  it('same key with a different body is 422; a bad key is 400; a failed request frees its key', async () => {
    const body = { service_code: 'graffiti', description: 'Första', lat: '57.4875', lon: '12.0761' };
    assert.equal((await webReport(body, 'web-reuse-0001')).statusCode, 201);
    const other = await webReport({ ...body, description: 'Andra' }, 'web-reuse-0001');
    assert.equal(other.statusCode, 422);
    assert.equal(other.json().error.code, 'idempotency_key_reused');
    const o311 = await open311Post({ jurisdiction_id: '1384', service_code: 'pothole', description: 'A', ...PLACES.kungsbacka }, 'o311-reuse-0001');
    assert.equal(o311.statusCode, 200);
    const o311Other = await open311Post({ jurisdiction_id: '1384', service_code: 'pothole', description: 'B', ...PLACES.kungsbacka }, 'o311-reuse-0001');
    assert.equal(o311Other.statusCode, 422);
    assert.match(o311Other.json()[0].description, /Idempotency-Key/);
    assert.equal((await webReport(body, 'short')).json().error.field, 'Idempotency-Key');
    const bad = await webReport({ ...body, service_code: 'nonsense' }, 'web-fixed-0001');
    assert.equal(bad.statusCode, 400);
    assert.equal((await webReport({ ...body, description: 'Rättad' }, 'web-fixed-0001')).statusCode, 201);
  });

  it('in flight → 409; a request that died after its case committed is answered from the case; a dead claim is taken over', async () => {
    const body = { service_code: 'litter', description: 'Kraschtest', lat: '57.4875', lon: '12.0761' };
    const first = await webReport(body, 'web-crash-0001');
    const number = first.json().case_number;
    const row = () => t.ctx.db.updateTable('idempotency_keys').where('key', '=', 'web-crash-0001');
    // As if the request were still running: 409 after a short wait.
    await row().set({ status_code: 0, response: '{}', case_id: null }).execute();
    const running = await webReport(body, 'web-crash-0001');
    assert.equal(running.statusCode, 409);
    assert.equal(running.json().error.code, 'in_progress');
    // As if the process died after the case's commit, before answering: the answer is rebuilt, no new case.
    const caseId = (await t.ctx.db.selectFrom('cases').select('id').where('public_id', '=', number).executeTakeFirstOrThrow()).id;
    await row().set({ case_id: caseId }).execute();
    const recovered = await webReport(body, 'web-crash-0001');
    assert.equal(recovered.statusCode, 201);
    assert.equal(recovered.json().case_number, number);
    assert.equal(await countCases(body.description), 1);
    // As if it died before its case committed: after the stale time the retry runs (and makes the only case).
    const lost = { ...body, description: 'Kraschtest före commit' };
    await t.ctx.db.insertInto('idempotency_keys').values({ key: 'web-crash-0002', route: 'public.report', status_code: 0, response: '{}', request_hash: null, claim_token: 'dead', claimed_at: new Date(Date.now() - 120_000) }).execute();
    assert.equal((await webReport(lost, 'web-crash-0002')).statusCode, 201);
    assert.equal(await countCases(lost.description), 1);
  });

  it('keeps keys at least 24 hours', async () => {
    const body = { service_code: 'graffiti', description: 'Gammal nyckel', lat: '57.4875', lon: '12.0761' };
    await webReport(body, 'web-old-00001');
    await t.ctx.db.updateTable('idempotency_keys').set({ created_at: sql`now() - interval '25 hours'` } as never).where('key', '=', 'web-old-00001').execute();
    const replay = await webReport(body, 'web-old-00001');
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    await t.ctx.db.updateTable('idempotency_keys').set({ created_at: sql`now() - interval '49 hours'` } as never).where('key', '=', 'web-old-00001').execute();
    await webReport({ ...body, description: 'Annan' }, 'web-old-00002');
    assert.equal(await t.ctx.db.selectFrom('idempotency_keys').select('key').where('key', '=', 'web-old-00001').executeTakeFirst(), undefined);
  });
});
