import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { form, FORM, newKey } from '../../test/open311/helpers.js';

let t: TestContext;
let key: string;
before(async () => {
  t = await createTestContext();
  key = await newKey(t.ctx);
});
after(async () => t.close());

const post = (fields: Record<string, string>) => t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: FORM, payload: form(fields) });

async function caseOf(publicId: string) {
  return t.ctx.db.selectFrom('cases').innerJoin('organisations', 'organisations.id', 'cases.organisation_id')
    .select(['cases.asset_id', 'cases.lat', 'cases.lon', 'cases.attributes', 'organisations.slug']).where('public_id', '=', publicId).executeTakeFirstOrThrow();
}

test('Open311 POST with attribute[asset_code] or CitySDK service_object_id: the pole fills the place and its contractor gets the case', async () => {
  const byAttribute = await post({ api_key: key, jurisdiction_id: '1283', service_code: 'street_light', 'attribute[asset_code]': 'HBG-L-00123', 'attribute[is_dark]': 'no', description: 'Släckt' });
  assert.equal(byAttribute.statusCode, 200, byAttribute.body);
  const [created] = byAttribute.json();
  assert.match(created.service_notice, /Ljusdrift Öresund AB, ansvarig för stolpe HBG-L-00123/);
  const kase = await caseOf(created.service_request_id);
  assert.equal(kase.slug, 'ljusdrift');
  assert.deepEqual([kase.lat, kase.lon], [56.04508, 12.69296], 'the pole gives the place');
  assert.deepEqual(kase.attributes, { is_dark: 'no' }, 'asset_code is not stored as an answer');

  const byObject = await post({ api_key: key, jurisdiction_id: '1283', service_code: 'street_light', service_object_id: 'HBG-L-00124', service_object_type: 'street_light', 'attribute[is_dark]': 'yes', lat: '56.0456', long: '12.6925' });
  assert.equal(byObject.statusCode, 200, byObject.body);
  const second = await caseOf(byObject.json()[0].service_request_id);
  assert.equal(second.slug, 'ljusdrift');
  assert.deepEqual([second.lat, second.lon], [56.0456, 12.6925], 'the reporter’s own point is kept');

  const unknown = await post({ api_key: key, jurisdiction_id: '1283', service_code: 'street_light', service_object_id: 'NO-SUCH', 'attribute[is_dark]': 'no' });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json()[0].description, /service_object_id/);
  const wrongType = await post({ api_key: key, jurisdiction_id: '1283', service_code: 'street_light', service_object_id: 'HBG-L-00124', service_object_type: 'bench', 'attribute[is_dark]': 'no' });
  assert.equal(wrongType.statusCode, 400);

  const list = await t.app.inject({ url: '/open311/v2/requests.json?jurisdiction_id=1283&service_object_id=HBG-L-00123&extensions=true' });
  assert.equal(list.statusCode, 200, list.body);
  assert.deepEqual(list.json().map((r: { service_request_id: string }) => r.service_request_id), [created.service_request_id]);
  assert.equal(list.json()[0].service_object_id, 'HBG-L-00123');
  assert.equal(list.json()[0].service_object_type, 'street_light');
  const byType = await t.app.inject({ url: '/open311/v2/requests.xml?jurisdiction_id=1283&service_object_type=street_light&extensions=true' });
  assert.equal(byType.statusCode, 200);
  assert.equal((byType.body.match(/<request>/g) ?? []).length, 2);
  assert.match(byType.body, /<service_object_id>HBG-L-00124<\/service_object_id>/);
});
