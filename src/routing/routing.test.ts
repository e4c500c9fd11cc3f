import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestContext, type TestContext } from '../../test/helpers/context.js';
import { AppError } from '../shared/errors.js';

let t: TestContext;
before(async () => {
  t = await createTestContext();
});
after(async () => t.close());

async function providerSlug(serviceCode: string, location: Parameters<TestContext['ctx']['cases']['createCase']>[0]['location']) {
  const service = await t.ctx.db.selectFrom('services').select('attributes').where('service_code', '=', serviceCode).executeTakeFirstOrThrow();
  const attributes = Object.fromEntries(service.attributes.filter((a) => a.required).map((a) => [a.code, a.values?.[0]?.key ?? 'x']));
  const { decision } = await t.ctx.cases.createCase({ service_code: serviceCode, location, channel: 'web', description: 'test', attributes });
  const org = await t.ctx.db.selectFrom('organisations').select('slug').where('id', '=', decision.provider_organisation_id).executeTakeFirstOrThrow();
  return { slug: org.slug, decision };
}

test('a full bin in Arboga or Kungsör goes to the joint waste service run by Köping', async () => {
  const arboga = await providerSlug('full_bin', { lat: 59.3939, lon: 15.8386 });
  assert.equal(arboga.slug, 'kak-avfall');
  assert.match(arboga.decision.explanation_sv, /^Arboga, Renhållning och avfall → Gemensamma avfallsnämnden Arboga–Köping–Kungsör enligt avtal 2016\/42$/);
  const kungsor = await providerSlug('full_bin', { lat: 59.4226, lon: 16.0989 });
  assert.equal(kungsor.slug, 'kak-avfall');
  const streetLightArboga = await providerSlug('street_light', { lat: 59.3939, lon: 15.8386 });
  assert.equal(streetLightArboga.slug, 'kommun-1984');
});

test('street maintenance in Norsjö goes to Skellefteå', async () => {
  const r = await providerSlug('pothole', { lat: 64.9115, lon: 19.4833 });
  assert.equal(r.slug, 'kommun-2482');
  assert.match(r.decision.explanation_en, /Norsjö, Streets and roads → Skellefteå Municipality under agreement KS 2019\/118/);
});

test('a pothole on the E6 in Kungsbacka goes to Trafikverket; a street light beside it stays with Kungsbacka', async () => {
  const pothole = await providerSlug('pothole', { lat: 57.505, lon: 12.0875 });
  assert.equal(pothole.slug, 'trafikverket');
  assert.equal(pothole.decision.area_kind, 'road_corridor');
  const light = await providerSlug('street_light', { lat: 57.505, lon: 12.0875 });
  assert.equal(light.slug, 'kommun-1384');
});

test('without coordinates: postal code, then the chosen municipality', async () => {
  const byPostal = await providerSlug('graffiti', { address: 'Storgatan 1, 434 30 Kungsbacka' });
  assert.equal(byPostal.slug, 'kommun-1384');
  assert.equal(byPostal.decision.located_by, 'postal_code');
  const byMunicipality = await providerSlug('graffiti', { municipality_code: '1080' });
  assert.equal(byMunicipality.slug, 'kommun-1080');
});

test('SWEREF 99 TM coordinates are accepted', async () => {
  const r = await providerSlug('litter', { sweref_n: 6375426, sweref_e: 324746 });
  assert.equal(r.slug, 'kommun-1384');
});

test('an agreement that ended yesterday no longer routes', async () => {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const r = await t.ctx.db.selectFrom('responsibilities').select(['id', 'valid_to']).where('reference', '=', 'KS 2019/118').executeTakeFirstOrThrow();
  await t.ctx.db.updateTable('responsibilities').set({ valid_to: yesterday }).where('id', '=', r.id).execute();
  try {
    const after = await providerSlug('pothole', { lat: 64.9115, lon: 19.4833 });
    assert.equal(after.slug, 'kommun-2417');
  } finally {
    await t.ctx.db.updateTable('responsibilities').set({ valid_to: null }).where('id', '=', r.id).execute();
  }
});

test('outside Sweden, at sea, unknown service and bad coordinates are clear 4xx errors and store nothing', async () => {
  const count = async () => Number((await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const before = await count();
  const cases: [string, Parameters<TestContext['ctx']['cases']['createCase']>[0]['location'], string][] = [
    ['pothole', { lat: 48.85, lon: 2.35 }, 'outside_sweden'],
    ['pothole', { lat: 56.0, lon: 19.0 }, 'not_in_municipality'],
    ['no_such_service', { lat: 57.4875, lon: 12.0761 }, 'unknown_service'],
    ['pothole', { lat: 'north', lon: 12 }, 'invalid_field'],
    ['pothole', { lat: 91, lon: 12 }, 'invalid_field'],
    ['pothole', { lat: 57.4875 }, 'invalid_field'],
    ['pothole', {}, 'location_required'],
    ['pothole', { postal_code: '00000' }, 'invalid_field'],
  ];
  for (const [service, location, code] of cases) {
    await assert.rejects(t.ctx.cases.createCase({ service_code: service, location, channel: 'web' }), (e: unknown) => {
      assert.ok(e instanceof AppError, String(e));
      assert.equal(e.status, 400);
      assert.equal(e.code, code, `${JSON.stringify(location)}: ${e.message}`);
      assert.ok(e.field, 'names a field');
      return true;
    });
  }
  assert.equal(await count(), before);
});
