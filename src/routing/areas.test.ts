import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, signIn, type TestContext } from '../../test/helpers/context.js';

let t: TestContext;
let admin: Awaited<ReturnType<typeof signIn>>;
before(async () => {
  t = await createTestContext();
  admin = await signIn(t.app, 'admin@kungsbacka.demo');
});
after(async () => t.close());

const E6_POINT = { lat: 57.505, lon: 12.0875 };
const square = (lon: number, lat: number, d: number) => [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]];

async function send(method: 'POST' | 'PUT', url: string, payload: unknown, headers: object = admin) {
  const res = await t.app.inject({ method, url, headers: headers as Record<string, string>, payload: payload as object });
  return { status: res.statusCode, body: res.json() };
}

async function providerOfPothole(): Promise<string> {
  const { decision } = await t.ctx.cases.createCase({ service_code: 'pothole', location: E6_POINT, channel: 'web', description: 'Hål' });
  return (await t.ctx.db.selectFrom('organisations').select('slug').where('id', '=', decision.provider_organisation_id).executeTakeFirstOrThrow()).slug;
}

test('a custom area drawn by the admin is used at once and beats the road corridor; redrawing it moves it away', async () => {
  assert.equal(await providerOfPothole(), 'trafikverket');
  const created = await send('POST', '/api/admin/areas', {
    kind: 'custom', code: 'torget-1384', name: 'Kungsbacka torg (kommunal gata över E6)', municipality_code: '1384',
    geometry: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(E6_POINT.lon, E6_POINT.lat, 0.001) } },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const kungsbacka = await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'kommun-1384').executeTakeFirstOrThrow();
  const agreement = await send('POST', '/api/admin/agreements', {
    title: 'Kungsbacka sköter gatan över E6 vid torget', reference: 'KS 2026/7', kind: 'own', provider_organisation_id: kungsbacka.id,
    municipality_codes: [], area_ids: [created.body.id], group_codes: ['streets'], valid_from: '2026-01-01',
  });
  assert.equal(agreement.status, 201, JSON.stringify(agreement.body));
  assert.equal(await providerOfPothole(), 'kommun-1384');

  const moved = await send('PUT', `/api/admin/areas/${created.body.id}`, { geometry: { type: 'Polygon', coordinates: square(12.05, 57.45, 0.001) } });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.equal(await providerOfPothole(), 'trafikverket');
  const listed = await t.app.inject({ method: 'GET', url: '/api/admin/areas?kind=custom', headers: admin });
  assert.deepEqual(listed.json().areas.map((a: { code: string }) => a.code), ['torget-1384']);
});

test('bad polygons and forbidden changes are refused with the field named, and nothing is stored', async () => {
  const count = async () => Number((await t.ctx.db.selectFrom('areas').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const before = await count();
  const base = { kind: 'district', code: 'd1', name: 'Distrikt', municipality_code: '1384' };
  const open = square(12.05, 57.45, 0.01);
  open[0][4] = [12.0, 57.0];
  const cases: [unknown, string, number?][] = [
    [{ type: 'Point', coordinates: [12, 57] }, 'geometry.type'],
    [{ type: 'Polygon', coordinates: [] }, 'geometry.coordinates'],
    [{ type: 'Polygon', coordinates: [[[12, 57], [12.1, 57], [12, 57]]] }, 'geometry.coordinates[0]'],
    [{ type: 'Polygon', coordinates: open }, 'geometry.coordinates[0]'],
    [{ type: 'Polygon', coordinates: [[[12, 57], [12.1, 57], ['x', 57.1], [12, 57]]] }, 'geometry.coordinates[0][2]'],
    [{ type: 'Polygon', coordinates: square(2.35, 48.85, 0.01) }, 'geometry.coordinates[0][0]'],
    [{ type: 'MultiPolygon', coordinates: [square(12.05, 57.45, 0.01), square(57.45, 12.05, 0.01)] }, 'geometry.coordinates[1][0][0]'],
    ['POLYGON((12 57, …))', 'geometry'],
  ];
  for (const [geometry, field] of cases) {
    const res = await send('POST', '/api/admin/areas', { ...base, geometry });
    assert.equal(res.status, 400, `${JSON.stringify(geometry)} → ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.field, field);
  }
  const good = { type: 'Polygon', coordinates: square(12.05, 57.45, 0.01) };
  const elsewhere = await send('POST', '/api/admin/areas', { ...base, municipality_code: '1283', geometry: good });
  assert.equal(elsewhere.status, 403);
  assert.equal(elsewhere.body.error.field, 'municipality_code');
  assert.equal((await send('POST', '/api/admin/areas', { ...base, municipality_code: '9999', geometry: good })).body.error.field, 'municipality_code');
  assert.equal((await send('POST', '/api/admin/areas', { ...base, kind: 'municipality', geometry: good })).body.error.field, 'kind');
  assert.equal((await send('POST', '/api/admin/areas', { ...base, code: 'E6-1384', kind: 'road_corridor', geometry: good })).status, 409);
  assert.equal((await send('POST', '/api/admin/areas', { ...base, geometry: good }, await signIn(t.app, 'handler@kungsbacka.demo'))).status, 403);
  const municipality = await t.ctx.db.selectFrom('areas').select('id').where('kind', '=', 'municipality').where('code', '=', '1384').executeTakeFirstOrThrow();
  assert.equal((await send('PUT', `/api/admin/areas/${municipality.id}`, { name: 'Nytt namn' })).status, 403);
  assert.equal(await count(), before);
});
