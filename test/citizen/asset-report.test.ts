import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { multipart } from '../helpers/multipart.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

function report(fields: Record<string, string>) {
  const body = multipart(fields);
  return t.app.inject({ method: 'POST', url: '/api/public/reports', payload: body.payload, headers: body.headers });
}

test('the map shows a category\'s assets, and a report on a picked pole goes to the body responsible for that pole', async () => {
  const layer = await t.app.inject({ url: '/api/public/assets?bbox=12.690,56.043,12.696,56.048&service_code=street_light' });
  assert.equal(layer.statusCode, 200);
  const codes = layer.json().features.map((f: { properties: { code: string } }) => f.properties.code);
  assert.ok(codes.includes('HBG-L-00123'), codes.join(','));

  const res = await report({ service_code: 'street_light', asset_code: 'HBG-L-00123', 'attribute[is_dark]': 'yes', description: 'Stolpen lyser inte' });
  assert.equal(res.statusCode, 201, res.body);
  const kase = await t.ctx.db.selectFrom('cases').innerJoin('organisations', 'organisations.id', 'cases.organisation_id')
    .innerJoin('assets', 'assets.id', 'cases.asset_id')
    .select(['organisations.slug', 'assets.code', 'cases.lat', 'cases.lon', 'cases.routing'])
    .where('cases.public_id', '=', res.json().case_number).executeTakeFirstOrThrow();
  assert.equal(kase.slug, 'ljusdrift');
  assert.equal(kase.code, 'HBG-L-00123');
  assert.ok(Math.abs(kase.lat! - 56.04508) < 1e-6, 'the pole\'s place fills the location');
  assert.match(kase.routing.explanation_sv, /Ljusdrift Öresund AB, ansvarig för .* HBG-L-00123/);
});

test('an unknown asset code is a clear error naming the field, and nothing is stored', async () => {
  const before = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const res = await report({ service_code: 'street_light', asset_code: 'NO-SUCH-POLE', 'attribute[is_dark]': 'yes' });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.field, 'asset_code');
  const afterCount = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(afterCount.n), Number(before.n));
});
