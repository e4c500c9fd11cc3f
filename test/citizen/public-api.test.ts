import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { deliverDue } from '../../src/outbox/service.js';
import { startSmtp } from './smtp.js';
import { multipart } from '../helpers/multipart.js';

const KUNGSBACKA = { lat: '57.4875', lon: '12.0761' };
const CANARY = { name: 'Canary Namesson', email: 'canary.reporter@example.org', phone: '070-999 88 77' };

async function photoWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'CanaryCamMaker', Model: 'CanaryModel9', Copyright: 'Canary Namesson' } })
    .toBuffer();
}

describe('public API: report, follow, reopen, subscribe, e-mail', () => {
  let t: TestContext;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let dataDir: string;
  before(async () => {
    smtp = await startSmtp();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-citizen-'));
    t = await createTestContext({ smtpUrl: smtp.url, dataDir, reopenDays: 28 });
  });
  after(async () => {
    await t.close();
    await smtp.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const report = (fields: Record<string, string>, files: { name: string; data: Buffer; type: string }[] = [], headers: Record<string, string> = {}) => {
    const body = multipart(fields, files);
    return t.app.inject({ method: 'POST', url: '/api/public/reports', payload: body.payload, headers: { ...body.headers, ...headers } });
  };

  it('lists the catalogue by group with attributes, places and boundaries', async () => {
    const cat = (await t.app.inject('/api/public/services')).json();
    const lighting = cat.groups.find((g: { code: string }) => g.code === 'lighting');
    const light = lighting.services.find((s: { service_code: string }) => s.service_code === 'street_light');
    assert.ok(light.attributes.some((a: { code: string; required: boolean }) => a.code === 'is_dark' && a.required));
    assert.equal((await t.app.inject('/api/public/municipalities/kungsbacka')).json().code, '1384');
    assert.equal((await t.app.inject('/api/public/municipalities/1384')).json().name, 'Kungsbacka');
    assert.equal((await t.app.inject('/api/public/municipalities/nowhere')).statusCode, 404);
    const geo = (await t.app.inject('/api/public/geocode?q=Storgatan%201%2C%20434%2030%20Kungsbacka')).json();
    assert.equal(geo.results[0].municipality_code, '1384');
    assert.equal(geo.results[0].precision, 'postal_code');
    const boundary = (await t.app.inject('/api/public/boundaries?municipality=1384')).json();
    assert.equal(boundary.features[0].properties.code, '1384');
    const counties = (await t.app.inject('/api/public/boundaries')).json();
    assert.equal(counties.features.length, 21);
  });

  it('takes a report with a photo, strips EXIF, answers who and when, and mails a receipt', async () => {
    const res = await report({ service_code: 'street_light', description: 'Lampan vid busshållplatsen är släckt', ...KUNGSBACKA,
      'attribute[is_dark]': 'yes', ...CANARY, locale: 'sv' }, [{ name: 'photos', data: await photoWithExif(), type: 'image/jpeg' }]);
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    assert.match(r.case_number, /^KGS-\d{4}-\d{5}$/);
    assert.equal(r.organisation.sv, 'Kungsbacka kommun');
    assert.ok(r.sla_due_at);
    assert.ok(r.handled_because.sv.includes('Kungsbacka'));
    assert.equal(r.photos, 1);
    const pub = (await t.app.inject(`/api/public/cases/${r.case_number}`)).json();
    assert.equal(pub.photos.length, 1);
    const photo = await t.app.inject(pub.photos[0].url);
    assert.equal(photo.statusCode, 200);
    assert.equal(photo.headers['x-content-type-options'], 'nosniff');
    assert.equal(photo.headers['content-type'], 'image/jpeg');
    const meta = await sharp(photo.rawPayload).metadata();
    assert.equal(meta.exif, undefined);
    assert.ok(meta.width! <= 1600 && meta.height! <= 1600);
    assert.ok(!photo.rawPayload.toString('latin1').includes('CanaryCam'));

    await deliverDue(t.ctx);
    const receipt = smtp.mails.find((m) => m.to.includes(CANARY.email) && m.text.includes(r.case_number));
    assert.ok(receipt, 'receipt received');
    assert.ok(receipt.text.includes(`/f/${r.follow_path.slice(3)}`), 'receipt carries the private follow link');
    assert.ok(receipt.text.includes('Kungsbacka kommun'));
    assert.match(receipt.raw, /List-Unsubscribe:/);
  });

  it('never shows personal data on public pages (canary)', async () => {
    const res = await report({ service_code: 'graffiti', description: 'Klotter på muren', ...KUNGSBACKA, ...CANARY });
    assert.equal(res.statusCode, 201, res.body);
    const r = res.json();
    const bodies = [
      (await t.app.inject(`/api/public/cases/${r.case_number}`)).body,
      (await t.app.inject(`/api/public${r.follow_path.replace('/f/', '/follow/')}`)).body,
      (await t.app.inject('/api/public/cases?municipality=1384&limit=200')).body,
      (await t.app.inject(`/api/public/nearby?service_code=graffiti&lat=${KUNGSBACKA.lat}&lon=${KUNGSBACKA.lon}`)).body,
    ];
    for (const body of bodies) {
      for (const canary of [CANARY.name, CANARY.email, CANARY.phone, 'Canary']) assert.ok(!body.includes(canary), `${canary} leaked`);
    }
    assert.ok(!bodies[0].includes('follow_token'));
    assert.ok(!bodies[0].includes(r.follow_path.slice(3)), 'the private token is not on the public page');
    assert.ok(bodies[2].includes(r.case_number));
  });

  it('refuses bad input field by field and stores nothing', async () => {
    const before = (await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const cases: [Record<string, string>, string, { name: string; data: Buffer; type: string }[]?][] = [
      [{ ...KUNGSBACKA, description: 'x' }, 'service_code'],
      [{ service_code: 'no_such', ...KUNGSBACKA }, 'service_code'],
      [{ service_code: 'graffiti' }, 'address'],
      [{ service_code: 'graffiti', address: 'Storgatan 1' }, 'address'],
      [{ service_code: 'graffiti', postal_code: '99999' }, 'postal_code'],
      [{ service_code: 'graffiti', lat: '91', lon: '12' }, 'lat'],
      [{ service_code: 'graffiti', lat: '57.5' }, 'lon'],
      [{ service_code: 'graffiti', lat: '52.52', lon: '13.40' }, 'lat'],
      [{ service_code: 'street_light', ...KUNGSBACKA }, 'attribute[is_dark]'],
      [{ service_code: 'street_light', ...KUNGSBACKA, 'attribute[is_dark]': 'maybe' }, 'attribute[is_dark]'],
      [{ service_code: 'graffiti', ...KUNGSBACKA, description: '<script>alert(1)</script>' }, 'description'],
      [{ service_code: 'graffiti', ...KUNGSBACKA, description: 'x'.repeat(4001) }, 'description'],
      [{ service_code: 'graffiti', ...KUNGSBACKA, email: 'not-an-address' }, 'email'],
      [{ service_code: 'graffiti', ...KUNGSBACKA, phone: 'call me' }, 'phone'],
      [{ service_code: 'graffiti', ...KUNGSBACKA, name: 'n'.repeat(201) }, 'name'],
      [{ service_code: 'graffiti', ...KUNGSBACKA }, 'photos', [{ name: 'photos', data: Buffer.from('<html>not a photo</html>'), type: 'image/jpeg' }]],
      [{ service_code: 'graffiti', ...KUNGSBACKA }, 'photos', [{ name: 'photos', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('<html>')]), type: 'image/jpeg' }]],
    ];
    for (const [fields, field, files] of cases) {
      const res = await report(fields, files ?? []);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${field}: ${res.statusCode} ${res.body}`);
      assert.equal(res.json().error.field, field, `${JSON.stringify(fields).slice(0, 80)} → ${res.body}`);
      assert.ok(res.json().error.message_sv, 'Swedish message');
    }
    const six = await Promise.all(Array.from({ length: 6 }, () => photoWithExif()));
    const tooMany = await report({ service_code: 'graffiti', ...KUNGSBACKA }, six.map((data) => ({ name: 'photos', data, type: 'image/jpeg' })));
    assert.equal(tooMany.json().error.field, 'photos');
    const after = (await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    assert.equal(Number(after), Number(before));
    const leftovers = fs.existsSync(path.join(dataDir, 'uploads')) ? fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).filter((f) => String(f).endsWith('.jpg')) : [];
    assert.equal(leftovers.length, 1, 'only the photo of the accepted report is on disk');
  });

  it('keeps a case and its photos together: if the photos cannot be recorded, neither the case nor the files stay', async () => {
    const count = async () => Number((await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const files = () => (fs.existsSync(path.join(dataDir, 'uploads')) ? fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).filter((f) => String(f).endsWith('.jpg')).length : 0);
    const [casesBefore, filesBefore] = [await count(), files()];
    await sql`create function refuse_attachment() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(t.ctx.db);
    await sql`create trigger refuse_attachment before insert on attachments for each row execute function refuse_attachment()`.execute(t.ctx.db);
    try {
      const res = await report({ service_code: 'graffiti', ...KUNGSBACKA, description: 'Klotter på muren.' }, [{ name: 'photos', data: await photoWithExif(), type: 'image/jpeg' }]);
      assert.equal(res.statusCode, 500, res.body);
    } finally {
      await sql`drop trigger refuse_attachment on attachments`.execute(t.ctx.db);
      await sql`drop function refuse_attachment()`.execute(t.ctx.db);
    }
    assert.equal(await count(), casesBefore, 'no case without its photo');
    assert.equal(files(), filesBefore, 'no photo file without its case');
    const ok = await report({ service_code: 'graffiti', ...KUNGSBACKA, description: 'Klotter på muren.' }, [{ name: 'photos', data: await photoWithExif(), type: 'image/jpeg' }]);
    assert.equal(ok.statusCode, 201, ok.body);
    const row = await t.ctx.db.selectFrom('attachments').innerJoin('case_events as e', 'e.id', 'attachments.event_id')
      .select(['e.kind', 'attachments.visibility']).where('attachments.case_id', '=', (await t.ctx.db.selectFrom('cases').select('id').where('public_id', '=', ok.json().case_number).executeTakeFirstOrThrow()).id).execute();
    assert.deepEqual(row, [{ kind: 'created', visibility: 'public' }]);
  });

  it('reports by postal code alone and routes to the municipality', async () => {
    const res = await report({ service_code: 'litter', address: 'Storgatan 1, 434 30 Kungsbacka', description: 'Skräp' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().located_by, 'postal_code');
    assert.equal(res.json().organisation.sv, 'Kungsbacka kommun');
  });

  it('makes one case of a double click with the same Idempotency-Key', async () => {
    const key = `test-${Date.now()}-abcdef`;
    const fields = { service_code: 'graffiti', description: 'Dubbelklick', ...KUNGSBACKA };
    const [a, b] = await Promise.all([report(fields, [], { 'idempotency-key': key }), report(fields, [], { 'idempotency-key': key })]);
    assert.equal(a.statusCode, 201);
    assert.equal(b.statusCode, 201);
    assert.equal(a.json().case_number, b.json().case_number);
    const n = await t.ctx.db.selectFrom('cases').select(t.ctx.db.fn.countAll<number>().as('n')).where('description', '=', 'Dubbelklick').executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 1);
  });

  it('suggests open cases of the same kind nearby', async () => {
    const first = (await report({ service_code: 'pothole', description: 'Djupt hål', lat: '57.4880', lon: '12.0770' })).json();
    const near = (await t.app.inject('/api/public/nearby?service_code=pothole&lat=57.4881&lon=12.0771')).json();
    assert.ok(near.cases.some((c: { case_number: string; distance_m: number }) => c.case_number === first.case_number && c.distance_m < 50));
    const other = (await t.app.inject('/api/public/nearby?service_code=graffiti&lat=57.4881&lon=12.0771')).json();
    assert.ok(!other.cases.some((c: { case_number: string }) => c.case_number === first.case_number));
    const bad = await t.app.inject('/api/public/nearby?service_code=pothole');
    assert.equal(bad.json().error.field, 'lat');
  });

  it('lists recent cases per municipality with filters', async () => {
    const open = (await t.app.inject('/api/public/cases?municipality=1384&status=open&service=pothole')).json();
    assert.ok(open.cases.length >= 1);
    assert.ok(open.cases.every((c: { open: boolean; service_code: string }) => c.open && c.service_code === 'pothole'));
    const bad = await t.app.inject('/api/public/cases?municipality=1384&status=sleeping');
    assert.equal(bad.json().error.field, 'status');
  });

  it('reopens a closed case within the period, with a comment, and mails followers', async () => {
    const r = (await report({ service_code: 'fallen_tree', description: 'Träd över gångvägen', 'attribute[blocking]': 'yes', ...KUNGSBACKA, email: 'reopener@example.org', locale: 'en' })).json();
    const kase = await t.ctx.db.selectFrom('cases').selectAll().where('public_id', '=', r.case_number).executeTakeFirstOrThrow();
    const notClosed = await t.app.inject({ method: 'POST', url: `/api/public/cases/${r.case_number}/reopen`, payload: { comment: 'Still there' } });
    assert.equal(notClosed.statusCode, 409);
    await t.ctx.cases.changeStatus(kase.id, 'fixed', { publicNote: 'Trädet är bortforslat' });
    await deliverDue(t.ctx);
    const fixedMail = smtp.mails.find((m) => m.to.includes('reopener@example.org') && m.subject.includes('is closed'));
    assert.ok(fixedMail, 'closed e-mail in English');
    assert.ok(fixedMail.text.includes('Trädet är bortforslat'));
    const empty = await t.app.inject({ method: 'POST', url: `/api/public/cases/${r.case_number}/reopen`, payload: { comment: ' ' } });
    assert.equal(empty.json().error.field, 'comment');
    const ok = await t.app.inject({ method: 'POST', url: `/api/public/cases/${r.case_number}/reopen`, payload: { comment: 'Trädet ligger kvar' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().status, 'reopened');
    assert.ok(ok.json().timeline.some((e: { body: string | null }) => e.body === 'Trädet ligger kvar'));
    // Past the period: closed 29 days ago.
    await t.ctx.cases.changeStatus(kase.id, 'closed', {});
    await t.ctx.db.updateTable('cases').set({ closed_at: new Date(Date.now() - 29 * 86_400_000) }).where('id', '=', kase.id).execute();
    const late = await t.app.inject({ method: 'POST', url: `/api/public/cases/${r.case_number}/reopen`, payload: { comment: 'Fortfarande' } });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().error.code, 'reopen_period_over');
  });

  it('subscribes by e-mail, mails updates, and unsubscribes in one click', async () => {
    const r = (await report({ service_code: 'park', description: 'Trasig bänk', ...KUNGSBACKA })).json();
    const bad = await t.app.inject({ method: 'POST', url: `/api/public/cases/${r.case_number}/subscribe`, payload: { email: 'nope' } });
    assert.equal(bad.json().error.field, 'email');
    const sub = await t.app.inject({ method: 'POST', url: `/api/public/cases/${r.case_number}/subscribe`, payload: { email: 'Follower@Example.org', locale: 'sv' } });
    assert.equal(sub.statusCode, 201);
    await deliverDue(t.ctx);
    const welcome = smtp.mails.find((m) => m.to.includes('follower@example.org') && m.text.includes(r.case_number));
    assert.ok(welcome, 'subscription e-mail received');
    const token = /\/avsluta\/([A-Za-z0-9_-]+)/.exec(welcome.text)![1];
    const kase = await t.ctx.db.selectFrom('cases').selectAll().where('public_id', '=', r.case_number).executeTakeFirstOrThrow();
    await t.ctx.cases.changeStatus(kase.id, 'in_progress', { publicNote: 'Vi har beställt en ny bänk' });
    await deliverDue(t.ctx);
    assert.ok(smtp.mails.some((m) => m.to.includes('follower@example.org') && m.text.includes('Vi har beställt en ny bänk')));
    const un = await t.app.inject({ method: 'POST', url: `/api/public/unsubscribe/${token}` });
    assert.equal(un.statusCode, 200);
    assert.equal(un.json().case_number, r.case_number);
    const count = smtp.mails.length;
    await t.ctx.cases.changeStatus(kase.id, 'fixed', { publicNote: 'Ny bänk på plats' });
    await deliverDue(t.ctx);
    assert.ok(!smtp.mails.slice(count).some((m) => m.to.includes('follower@example.org')), 'no mail after unsubscribing');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/public/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAA' })).statusCode, 404);
  });
});
