import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';
import { FORM, form, newKey, PLACES } from '../open311/helpers.js';

// Swedish duties: public diary, confidential flag (canary over every public output and the logs),
// records export with masking, GDPR access export, abuse list, outbox admin view.

const CANARY = { name: 'Kanarie Fågelsdotter', email: 'kanarie.canary@example.org', phone: '070-111 22 33', pnr: '19811218-9876' };
const CANARY_STRINGS = [CANARY.name, CANARY.email, '070-111 22 33', '0701112233', CANARY.pnr, 'Kanarie'];

describe('records, confidentiality and abuse', () => {
  let t: TestContext;
  let logged: string[];
  let app: FastifyInstance;
  let handler: Awaited<ReturnType<typeof signIn>>;
  let caseNumber: string;
  before(async () => {
    t = await createTestContext();
    logged = [];
    const stream = new Writable({ write(chunk, _enc, done) { logged.push(String(chunk)); done(); } });
    // A second app on the same database whose log (debug level) is captured for the canary check.
    app = await buildApp(t.ctx, { logger: { level: 'debug', stream } });
    await app.ready();
    handler = await signIn(app, 'handler@kungsbacka.demo');
  });
  after(async () => {
    await app.close();
    await t.close();
  });

  const leaks = (text: string) => CANARY_STRINGS.filter((c) => text.includes(c));

  it('confidential: hidden from every public output and the logs; records export masks it; diary lists it without personal data', async () => {
    const created = await app.inject({
      method: 'POST', url: '/api/public/reports', headers: { 'x-forwarded-for': '10.9.0.1' },
      payload: { service_code: 'graffiti', description: `Klotter. Ring ${CANARY.name} på ${CANARY.phone}, pnr ${CANARY.pnr}`, lat: '57.4875', lon: '12.0761', ...CANARY },
    });
    assert.equal(created.statusCode, 201, created.body);
    caseNumber = created.json().case_number;
    const bad = await app.inject({ method: 'POST', url: `/api/staff/cases/${caseNumber}/confidential`, headers: handler, payload: { confidential: 'maybe', reason: 'x' } });
    assert.equal(bad.statusCode, 400);
    const marked = await app.inject({ method: 'POST', url: `/api/staff/cases/${caseNumber}/confidential`, headers: handler, payload: { confidential: true, reason: 'Skyddad identitet' } });
    assert.equal(marked.statusCode, 200, marked.body);
    assert.equal(marked.json().confidential, true);

    const apiKey = await newKey(t.ctx, 'Kanarie');
    const publicUrls = [
      '/api/public/cases?municipality=1384&limit=200', `/api/public/cases/${caseNumber}`, '/api/public/diary?municipality=1384&limit=1000',
      '/open311/v2/requests.json?jurisdiction_id=1384&extensions=true&start_date=2020-01-01T00:00:00Z', '/open311/v2/requests.xml?jurisdiction_id=1384&extensions=true&start_date=2020-01-01T00:00:00Z',
      '/api/opendata/cases.csv', '/api/opendata/cases.geojson', '/api/opendata/cases.open311.json', '/statistik/kommun/1384', `/arende/${caseNumber}`,
    ];
    for (const url of publicUrls) {
      const res = await app.inject({ url, headers: { accept: url.startsWith('/api') || url.startsWith('/open311') ? '*/*' : 'text/html' } });
      assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
      assert.deepEqual(leaks(res.body), [], `${url} leaks`);
    }
    assert.equal((await app.inject(`/api/public/cases/${caseNumber}`)).statusCode, 404);
    const diary = (await app.inject('/api/public/diary?municipality=1384&limit=1000')).json();
    const entry = diary.entries.find((e: { case_number: string }) => e.case_number === caseNumber);
    assert.deepEqual(Object.keys(entry).sort(), ['case_number', 'category', 'confidential', 'organisation', 'registered_at', 'status']);
    assert.equal(entry.confidential, true);
    assert.equal((await app.inject('/api/public/diary?municipality=13')).statusCode, 400);
    assert.equal((await app.inject('/api/public/diary?municipality=1384&from=2026-02-31')).json().error.field, 'from');
    // An Open311 client POST with the canary's name in the logs run too.
    await app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: FORM, payload: form({ api_key: apiKey, jurisdiction_id: '1384', service_code: 'pothole', first_name: 'Kanarie', last_name: 'Fågelsdotter', email: CANARY.email, phone: CANARY.phone, description: 'Hål', ...PLACES.kungsbacka }) });

    const record = await app.inject({ url: `/api/staff/cases/${caseNumber}/record`, headers: handler });
    assert.equal(record.statusCode, 200);
    assert.deepEqual(leaks(record.body), [], 'records export of a confidential case masks the reporter');
    assert.equal(record.json().reporter.masked, true);
    assert.ok(record.json().events.some((e: { kind: string; visibility: string }) => e.kind === 'confidentiality_changed' && e.visibility === 'internal'));
    const html = await app.inject({ url: `/api/staff/cases/${caseNumber}/record.html`, headers: handler });
    assert.match(html.headers['content-type'] as string, /text\/html/);
    assert.deepEqual(leaks(html.body), []);
    assert.match(html.body, /Allmän handling/);

    const logText = logged.join('');
    assert.ok(logText.includes('/api/public/reports'), 'the log was captured');
    assert.deepEqual(leaks(logText), [], 'no personal data in the logs');
  });

  it('records export of an ordinary case shows the reporter but always masks personnummer', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/public/reports', headers: { 'x-forwarded-for': '10.9.0.2' },
      payload: { service_code: 'litter', description: `Skräp, mitt pnr är ${CANARY.pnr}`, lat: '57.4875', lon: '12.0761', name: 'Öppen Person', email: 'open.person@example.org' } });
    const rec = (await app.inject({ url: `/api/staff/cases/${created.json().case_number}/record`, headers: handler })).json();
    assert.equal(rec.reporter.name, 'Öppen Person');
    assert.ok(!JSON.stringify(rec).includes(CANARY.pnr));
    assert.match(rec.as_received.description, /personnummer borttaget/);
    // Another organisation's staff cannot export it.
    const other = await signIn(app, 'handler@karlskrona.demo');
    assert.equal((await app.inject({ url: `/api/staff/cases/${created.json().case_number}/record`, headers: other })).statusCode, 404);
  });

  it('GDPR access export: the admin sees what their organisations hold about an address; others need the admin role', async () => {
    const admin = await signIn(app, 'admin@kungsbacka.demo');
    const res = await app.inject({ url: `/api/admin/gdpr-export?email=${encodeURIComponent(CANARY.email.toUpperCase())}`, headers: admin });
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json();
    assert.ok(out.reporter_records.length >= 1);
    assert.ok(out.cases.some((c: { public_id: string }) => c.public_id === caseNumber));
    const koping = await signIn(app, 'admin@koping.demo');
    assert.equal((await app.inject({ url: `/api/admin/gdpr-export?email=${encodeURIComponent(CANARY.email)}`, headers: koping })).json().reporter_records.length, 0);
    assert.equal((await app.inject({ url: `/api/admin/gdpr-export?email=${encodeURIComponent(CANARY.email)}`, headers: handler })).statusCode, 403);
    assert.equal((await app.inject({ url: '/api/admin/gdpr-export?email=nope', headers: admin })).statusCode, 400);
  });

  it('abuse list: a report from a blocked address is accepted-looking, hidden and sends nothing', async () => {
    const admin = await signIn(app, 'admin@kungsbacka.demo');
    const add = await app.inject({ method: 'POST', url: '/api/admin/abuse', headers: admin, payload: { kind: 'email', value: ' Troll@Example.org ', reason: 'Hot mot personal' } });
    assert.equal(add.statusCode, 201, add.body);
    await app.inject({ method: 'POST', url: '/api/admin/abuse', headers: admin, payload: { kind: 'ip', value: '10.66.6.6', reason: 'Spam' } });
    assert.equal((await app.inject({ method: 'POST', url: '/api/admin/abuse', headers: admin, payload: { kind: 'fax', value: '1', reason: 'xyz' } })).statusCode, 400);
    for (const [headers, payload] of [
      [{ 'x-forwarded-for': '10.9.0.3' }, { email: 'troll@example.org', description: 'Spärrad e-post' }],
      [{ 'x-forwarded-for': '10.66.6.6' }, { email: 'someone@example.org', description: 'Spärrad IP' }],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/api/public/reports', headers, payload: { service_code: 'graffiti', lat: '57.4875', lon: '12.0761', ...payload } });
      assert.equal(res.statusCode, 201, res.body);
      const kase = await t.ctx.db.selectFrom('cases').selectAll().where('public_id', '=', res.json().case_number).executeTakeFirstOrThrow();
      assert.equal(kase.confidential, true);
      assert.ok(kase.abuse_hidden_at);
      assert.equal((await app.inject(`/api/public/cases/${kase.public_id}`)).statusCode, 404);
      const mails = await t.ctx.db.selectFrom('outbox').select('id').where('dedupe_key', 'like', `case-email:%`).where('payload', '@>', JSON.stringify({ case_number: kase.public_id }) as never).execute();
      assert.equal(mails.length, 0, 'no receipt e-mail');
      const notes = await t.ctx.db.selectFrom('case_events').select('kind').where('case_id', '=', kase.id).where('kind', '=', 'abuse_hidden').execute();
      assert.equal(notes.length, 1);
    }
    const list = (await app.inject({ url: '/api/admin/abuse', headers: admin })).json().entries;
    assert.ok(list.some((e: { value: string }) => e.value === 'troll@example.org'));
    const koping = await signIn(app, 'admin@koping.demo');
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/admin/abuse/${list[0].id}`, headers: koping })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/admin/abuse/${list[0].id}`, headers: admin })).statusCode, 200);
  });

  it('outbox admin view: stuck and dead messages of the own organisation, with retry', async () => {
    const org = await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'kommun-1384').executeTakeFirstOrThrow();
    const other = await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'kommun-1080').executeTakeFirstOrThrow();
    const [mine, theirs] = await Promise.all([org.id, other.id].map((id) => t.ctx.db.insertInto('outbox')
      .values({ kind: 'test.dead', organisation_id: id, payload: '{}', status: 'dead', attempts: 10, last_error: 'connection refused' } as never).returning('id').executeTakeFirstOrThrow()));
    const admin = await signIn(app, 'admin@kungsbacka.demo');
    const listed = (await app.inject({ url: '/api/admin/outbox', headers: admin })).json().messages;
    assert.ok(listed.some((m: { id: number }) => m.id === mine.id));
    assert.ok(!listed.some((m: { id: number }) => m.id === theirs.id));
    assert.equal((await app.inject({ method: 'POST', url: `/api/admin/outbox/${theirs.id}/retry`, headers: admin })).statusCode, 404);
    assert.equal((await app.inject({ method: 'POST', url: `/api/admin/outbox/${mine.id}/retry`, headers: admin })).statusCode, 200);
    const row = await t.ctx.db.selectFrom('outbox').select('status').where('id', '=', mine.id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
  });
});
