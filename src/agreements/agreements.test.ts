import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../../test/helpers/context.js';
import { parseCsv } from '../shared/csv.js';
import { swedishDate } from '../routing/service.js';

let t: TestContext;
let kopingAdmin: Awaited<ReturnType<typeof signIn>>;
let kungsbackaAdmin: Awaited<ReturnType<typeof signIn>>;
const orgs = new Map<string, number>();

before(async () => {
  t = await createTestContext();
  for (const o of await t.ctx.db.selectFrom('organisations').select(['id', 'slug']).execute()) orgs.set(o.slug, o.id);
  kopingAdmin = await signIn(t.app, 'admin@koping.demo'); // admin of kak-avfall (active) and of Köping
  kungsbackaAdmin = await signIn(t.app, 'admin@kungsbacka.demo');
});
after(async () => t.close());

function shiftDays(days: number): string {
  return new Date(Date.parse(`${swedishDate()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

async function api(method: 'GET' | 'POST' | 'PUT', url: string, headers: object, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: headers as Record<string, string>, payload: payload as object });
  return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').startsWith('application/json') ? res.json() : res.body, headers: res.headers };
}

async function routeTo(serviceCode: string, lat: number, lon: number): Promise<string> {
  const service = await t.ctx.db.selectFrom('services').select(['id', 'group_code', 'service_code', 'name_sv', 'name_en']).where('service_code', '=', serviceCode).executeTakeFirstOrThrow();
  const group = await t.ctx.db.selectFrom('service_groups').select(['name_sv', 'name_en']).where('code', '=', service.group_code).executeTakeFirstOrThrow();
  const placement = await t.ctx.routing.place({ lat, lon, address: null, postal_code: null, municipality_code: null });
  const decision = await t.ctx.routing.decide(placement, { ...service, group_name_sv: group.name_sv, group_name_en: group.name_en });
  return [...orgs].find(([, id]) => id === decision.provider_organisation_id)![0];
}

const ARBOGA = { lat: 59.3939, lon: 15.8386 };
const KUNGSOR = { lat: 59.4226, lon: 16.0989 };

const parkAgreement = (over: Record<string, unknown> = {}) => ({
  title: 'Parkskötsel i Arboga och Kungsör utförs av avfallsnämnden (test)',
  reference: 'TEST 2026/1',
  kind: 'agreement',
  provider_organisation_id: orgs.get('kak-avfall'),
  municipality_codes: ['1984', '1960'],
  group_codes: ['parks'],
  valid_from: shiftDays(1),
  ...over,
});

test('create → starts tomorrow, so it does not route yet; edit to start today → routes new cases; end → stops; existing cases keep their routing', async () => {
  const created = await api('POST', '/api/admin/agreements', kopingAdmin, parkAgreement());
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.status, 'upcoming');
  assert.deepEqual(created.body.member_municipalities.map((m: { code: string }) => m.code), ['1960', '1984']);
  assert.equal(await routeTo('playground', ARBOGA.lat, ARBOGA.lon), 'kommun-1984');

  const edited = await api('PUT', `/api/admin/agreements/${created.body.id}`, kopingAdmin, parkAgreement({ valid_from: swedishDate() }));
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  assert.equal(edited.body.status, 'active');
  assert.equal(await routeTo('playground', ARBOGA.lat, ARBOGA.lon), 'kak-avfall');
  assert.equal(await routeTo('park', KUNGSOR.lat, KUNGSOR.lon), 'kak-avfall');
  assert.equal(await routeTo('playground', 59.514, 15.9959), 'kommun-1983', 'Köping is not a member of this agreement');

  const { case: kase } = await t.ctx.cases.createCase({ service_code: 'playground', location: ARBOGA, channel: 'web', description: 'Gungan är trasig' });
  assert.equal(kase.organisation_id, orgs.get('kak-avfall'));
  assert.match(kase.routing.explanation_sv, /enligt avtal TEST 2026\/1/);

  const ended = await api('POST', `/api/admin/agreements/${created.body.id}/end`, kopingAdmin, {});
  assert.equal(ended.status, 400, 'cannot end on yesterday an agreement that started today');
  assert.equal(ended.body.error.field, 'valid_to');
  await api('PUT', `/api/admin/agreements/${created.body.id}`, kopingAdmin, parkAgreement({ valid_from: shiftDays(-10) }));
  const ended2 = await api('POST', `/api/admin/agreements/${created.body.id}/end`, kopingAdmin, {});
  assert.equal(ended2.status, 200, JSON.stringify(ended2.body));
  assert.equal(ended2.body.valid_to, shiftDays(-1));
  assert.equal(ended2.body.status, 'ended');
  assert.equal(await routeTo('playground', ARBOGA.lat, ARBOGA.lon), 'kommun-1984', 'an agreement that ended yesterday no longer routes');

  const stored = await t.ctx.db.selectFrom('cases').select(['organisation_id', 'responsibility_id']).where('id', '=', kase.id).executeTakeFirstOrThrow();
  assert.equal(stored.organisation_id, orgs.get('kak-avfall'), 'the existing case keeps its routing');
  const audit = await t.ctx.db.selectFrom('responsibility_changes').select('action').where('responsibility_id', '=', created.body.id).orderBy('id').execute();
  assert.deepEqual(audit.map((a) => a.action), ['created', 'updated', 'updated', 'ended']);
});

test('bad input is refused with the field named, and nothing is stored', async () => {
  const before = Number((await t.ctx.db.selectFrom('responsibilities').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const bad: [Record<string, unknown>, string, number?][] = [
    [{ title: '   ' }, 'title'],
    [{ kind: 'friendship' }, 'kind'],
    [{ provider_organisation_id: 99999 }, 'provider_organisation_id'],
    [{ municipality_codes: ['1984', '9999'] }, 'municipality_codes[1]'],
    [{ municipality_codes: ['19'] }, 'municipality_codes.0'],
    [{ municipality_codes: [] }, 'municipality_codes'],
    [{ group_codes: ['parks', 'nope'] }, 'group_codes[1]'],
    [{ group_codes: [], service_codes: ['no_such_service'] }, 'service_codes[0]'],
    [{ group_codes: [] }, 'service_codes'],
    [{ all_services: true }, 'all_services'],
    [{ valid_from: '2026-02-30' }, 'valid_from'],
    [{ valid_from: 'tomorrow' }, 'valid_from'],
    [{ valid_to: '2020-01-01', valid_from: '2021-01-01' }, 'valid_to'],
    [{ kind: 'own' }, 'kind'],
    [{ kind: 'state' }, 'kind'],
    [{ receiving_unit_id: 1 }, 'receiving_unit_id'],
    [{ area_ids: [999999] }, 'area_ids[0]'],
    [{ reference: '2016/42' }, 'reference', 409],
    [{ provider_organisation_id: orgs.get('kommun-1384'), municipality_codes: ['1384'] }, 'provider_organisation_id', 403],
  ];
  for (const [over, field, status] of bad) {
    const res = await api('POST', '/api/admin/agreements', kopingAdmin, parkAgreement({ reference: `BAD ${field}`, ...over }));
    assert.equal(res.status, status ?? 400, `${JSON.stringify(over)} → ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.field, field, JSON.stringify(res.body));
  }
  const handler = await signIn(t.app, 'handler@koping.demo');
  assert.equal((await api('POST', '/api/admin/agreements', handler, parkAgreement())).status, 403);
  assert.equal((await api('POST', '/api/admin/agreements', { cookie: kopingAdmin.cookie }, parkAgreement())).status, 403, 'CSRF header required');
  const after = Number((await t.ctx.db.selectFrom('responsibilities').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  assert.equal(after, before);
});

test('a member municipality admin sees and may edit the agreement; another body sees nothing of it', async () => {
  const list = await api('GET', '/api/admin/agreements', kopingAdmin);
  const waste = list.body.agreements.find((a: { reference: string }) => a.reference === '2016/42');
  assert.ok(waste);
  assert.ok(!list.body.agreements.some((a: { reference: string }) => a.reference === 'E6'));
  const kungsbacka = await api('GET', '/api/admin/agreements', kungsbackaAdmin);
  assert.ok(kungsbacka.body.agreements.some((a: { reference: string }) => a.reference === 'E6'), 'Kungsbacka is a member of the E6 corridor agreement');
  assert.ok(!kungsbacka.body.agreements.some((a: { reference: string }) => a.reference === '2016/42'));
  assert.equal((await api('GET', `/api/admin/agreements/${waste.id}`, kungsbackaAdmin)).status, 404);
  assert.equal((await api('GET', `/api/admin/agreements/${waste.id}/report`, kungsbackaAdmin)).status, 404);
});

test('a provider\'s staff see the cases of every municipality in their agreements and nothing else', async () => {
  const handler = await signIn(t.app, 'handler@koping.demo'); // active organisation: kak-avfall
  const seen: { id: number; municipality_code: string; organisation_id: number }[] = [];
  let cursor: string | null = null;
  do {
    const res = await api('GET', `/api/staff/cases?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, handler);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    seen.push(...res.body.items);
    cursor = res.body.next_cursor;
  } while (cursor);
  const expected = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).where('organisation_id', '=', orgs.get('kak-avfall')!).executeTakeFirstOrThrow();
  assert.ok(seen.length > 0);
  assert.equal(seen.length, Number(expected.n));
  assert.deepEqual([...new Set(seen.map((c) => c.municipality_code))].sort(), ['1960', '1983', '1984']);
  assert.ok(seen.every((c) => c.organisation_id === orgs.get('kak-avfall')));
  const byAgreement = await t.ctx.db.selectFrom('cases').innerJoin('responsibilities', 'responsibilities.id', 'cases.responsibility_id')
    .select('cases.id').where('responsibilities.provider_organisation_id', '=', orgs.get('kak-avfall')!).execute();
  assert.deepEqual(seen.map((c) => c.id).sort(), byAgreement.map((c) => c.id).sort(), 'exactly the cases its agreements routed to it');
});

test('report per buyer municipality: JSON and CSV', async () => {
  const waste = (await api('GET', '/api/admin/agreements', kopingAdmin)).body.agreements.find((a: { reference: string }) => a.reference === '2016/42');
  const url = `/api/admin/agreements/${waste.id}/report?from=2020-01-01&to=${swedishDate()}`;
  const json = await api('GET', url, kopingAdmin);
  assert.equal(json.status, 200, JSON.stringify(json.body));
  const rows = json.body.rows as { municipality_code: string | null; cases: number; closed: number; open: number; median_handling_hours: number | null; sla_met: number; sla_breached: number; sla_compliance_percent: number | null }[];
  assert.deepEqual(rows.map((r) => r.municipality_code), ['1960', '1983', '1984', null]);
  const total = rows.at(-1)!;
  const stored = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).where('responsibility_id', '=', waste.id).executeTakeFirstOrThrow();
  assert.equal(total.cases, Number(stored.n));
  assert.equal(total.cases, rows.slice(0, -1).reduce((n, r) => n + r.cases, 0));
  for (const r of rows) {
    assert.equal(r.closed + r.open, r.cases);
    if (r.closed > 0) assert.ok(r.median_handling_hours !== null && r.median_handling_hours >= 0);
    if (r.sla_met + r.sla_breached > 0) assert.equal(r.sla_compliance_percent, Math.round((1000 * r.sla_met) / (r.sla_met + r.sla_breached)) / 10);
  }

  const csv = await api('GET', `${url}&format=csv`, kopingAdmin);
  assert.equal(csv.status, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.match(String(csv.headers['content-disposition']), /attachment; filename="avtal-2016-42-2020-01-01-/);
  const table = parseCsv(String(csv.body).replace(/^\uFEFF/, '').trim());
  assert.deepEqual(table[0], ['municipality_code', 'municipality', 'cases', 'closed', 'open', 'median_handling_hours', 'sla_met', 'sla_breached', 'sla_compliance_percent']);
  assert.equal(table.length, 5);
  assert.deepEqual(table[1].slice(0, 2), ['1960', 'Kungsör']);
  assert.equal(table[4][1], 'Totalt');
  assert.equal(Number(table[4][2]), total.cases);

  const bad = await api('GET', `/api/admin/agreements/${waste.id}/report?from=2026-05-01&to=2026-04-01`, kopingAdmin);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'to');
  assert.equal((await api('GET', `/api/admin/agreements/${waste.id}/report?from=2026-13-01`, kopingAdmin)).body.error.field, 'from');
});
