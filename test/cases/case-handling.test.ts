import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createTestContext, signIn, type TestContext } from '../helpers/context.js';
import { CaseActions } from '../../src/cases/actions.js';
import { findNearbyOpen } from '../../src/cases/duplicates.js';
import type { StaffActor } from '../../src/cases/scope.js';
import { helsingborgCase, HELSINGBORG, multipart, north } from './helpers.js';

let t: TestContext;
let dataDir: string;
type Headers = { cookie: string; 'x-csrf-token': string };
let handler: Headers;
let supervisor: Headers;
let contractor: Headers;
let helsingborgId: number;

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingang-cases-'));
  t = await createTestContext({ dataDir });
  handler = await signIn(t.app, 'handler@helsingborg.demo');
  supervisor = await signIn(t.app, 'supervisor@helsingborg.demo');
  contractor = await signIn(t.app, 'contractor@ljusdrift.demo');
  helsingborgId = (await t.ctx.db.selectFrom('organisations').select('id').where('slug', '=', 'kommun-1283').executeTakeFirstOrThrow()).id;
});
after(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const post = (h: Headers, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: h, payload });
const get = (h: Headers, url: string) => t.app.inject({ method: 'GET', url, headers: h });

function staff(role: StaffActor['role'] = 'handler'): StaffActor {
  return { organisationId: helsingborgId, role, userId: 2, label: 'Test' };
}

test('SLA due times follow the priority on the Swedish working-day calendar (Easter, Midsummer)', async () => {
  const actions = new CaseActions(t.ctx.db, t.ctx.cases, dataDir);
  // Maundy Thursday 2 April 2026, 10:00 CEST; street light P2 = 3 working days: Good Friday and Easter Monday do not count.
  const easter = await helsingborgCase(t, { requested_at: new Date('2026-04-02T08:00:00Z'), priority: 2 });
  assert.equal(easter.sla_due_at?.toISOString(), '2026-04-09T08:00:00.000Z');
  const p1 = await actions.setPriority(staff(), easter.id, { expected_version: easter.version, priority: 1 });
  assert.equal(p1.sla_due_at?.toISOString(), '2026-04-02T09:00:00.000Z', 'P1: one hour');
  const p3 = await actions.setPriority(staff(), easter.id, { expected_version: p1.version, priority: 3 });
  assert.equal(p3.sla_due_at?.toISOString(), '2026-05-02T08:00:00.000Z', 'P3: 30 calendar days');
  const event = await t.ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', easter.id).where('kind', '=', 'priority_changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
  assert.deepEqual(event.data, { before: { priority: 1, sla_due_at: '2026-04-02T09:00:00.000Z' }, after: { priority: 3, sla_due_at: '2026-05-02T08:00:00.000Z' } });
  // Thursday before Midsummer 2026: midsummer eve (Fri 19 June) is a day off.
  const midsummer = await helsingborgCase(t, { requested_at: new Date('2026-06-18T08:00:00Z'), priority: 2 });
  assert.equal(midsummer.sla_due_at?.toISOString(), '2026-06-24T08:00:00.000Z');
});

test('at-risk and breached lists', async () => {
  const now = Date.now();
  const breached = await helsingborgCase(t, { requested_at: new Date(now - 10 * 86_400_000), priority: 2 });
  const fresh = await helsingborgCase(t, { requested_at: new Date(now - 60_000), priority: 3 });
  const list = async (sla: string) => (await get(handler, `/api/staff/cases?sla=${sla}&limit=200&service=street_light`)).json();
  const b = await list('breached');
  assert.ok(b.items.some((i: { id: number }) => i.id === breached.id));
  assert.ok(b.items.every((i: { sla_state: string }) => i.sla_state === 'breached'));
  assert.ok(!b.items.some((i: { id: number }) => i.id === fresh.id));
  const ok = await list('ok');
  assert.ok(ok.items.some((i: { id: number }) => i.id === fresh.id));
  const risky = await helsingborgCase(t, { requested_at: new Date(now - 70 * 60_000), priority: 1 });
  assert.equal((await list('breached')).items.some((i: { id: number }) => i.id === risky.id), true, 'P1 (1 h) after 70 minutes is breached');
  assert.ok(b.counts.breached >= 2);
});

test('two handlers editing at once: one wins, the other gets 409 naming the winner, nothing silently overwritten', async () => {
  const kase = await helsingborgCase(t);
  const [a, b] = await Promise.all([
    post(handler, `/api/staff/cases/${kase.id}/priority`, { expected_version: kase.version, priority: 1 }),
    post(supervisor, `/api/staff/cases/${kase.id}/priority`, { expected_version: kase.version, priority: 3 }),
  ]);
  const statuses = [a.statusCode, b.statusCode].sort();
  assert.deepEqual(statuses, [200, 409]);
  const loser = a.statusCode === 409 ? a : b;
  const winnerName = a.statusCode === 200 ? 'Lars Nilsson' : 'Eva Lindqvist';
  assert.equal(loser.json().error.code, 'stale_version');
  assert.equal(loser.json().error.changed_by, winnerName);
  assert.match(loser.json().error.message_sv, new RegExp(`ändrats av ${winnerName}`));
  const row = await t.ctx.db.selectFrom('cases').select(['priority', 'version']).where('id', '=', kase.id).executeTakeFirstOrThrow();
  assert.equal(row.version, kase.version + 1);
  assert.equal(row.priority, a.statusCode === 200 ? 1 : 3);
});

test('assign, state change with public note, internal note and public update; timeline marks visibility', async () => {
  const kase = await helsingborgCase(t);
  const people = (await get(handler, '/api/staff/assignees')).json();
  const lars = people.users.find((u: { display_name: string }) => u.display_name === 'Lars Nilsson');
  let v = kase.version;
  let res = await post(handler, `/api/staff/cases/${kase.id}/assign`, { expected_version: v, assignee_user_id: lars.id, unit_id: people.units[0].id });
  assert.equal(res.statusCode, 200, res.body);
  v = res.json().version;
  const foreignUser = await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'handler@kungsbacka.demo').executeTakeFirstOrThrow();
  res = await post(handler, `/api/staff/cases/${kase.id}/assign`, { expected_version: v, assignee_user_id: foreignUser.id });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.field, 'assignee_user_id');
  res = await post(handler, `/api/staff/cases/${kase.id}/status`, { expected_version: v, status: 'investigating', public_note: 'Vi tittar på det.' });
  assert.equal(res.statusCode, 200, res.body);
  v = res.json().version;
  res = await post(handler, `/api/staff/cases/${kase.id}/notes`, { visibility: 'internal', body: 'Ring elnätsbolaget först.' });
  assert.equal(res.statusCode, 200);
  res = await post(handler, `/api/staff/cases/${kase.id}/notes`, { visibility: 'public', body: 'Lampan byts på torsdag.' });
  assert.equal(res.statusCode, 200);
  res = await post(handler, `/api/staff/cases/${kase.id}/notes`, { visibility: 'public', body: '<b>x</b>' });
  assert.equal(res.statusCode, 400);
  const page = (await get(handler, `/api/staff/cases/${kase.public_id}`)).json();
  assert.equal(page.case.assignee.name, 'Lars Nilsson');
  assert.equal(page.case.status, 'investigating');
  const kinds = page.timeline.map((e: { kind: string; visibility: string }) => `${e.kind}:${e.visibility}`);
  for (const k of ['created:public', 'routed:internal', 'assigned:internal', 'status_changed:public', 'internal_note:internal', 'public_update:public']) assert.ok(kinds.includes(k), k);
  assert.equal(page.timeline.find((e: { kind: string }) => e.kind === 'assigned').actor, 'Lars Nilsson');
  assert.deepEqual(page.reporter, { name: 'Test Testsson', email: 'test.testsson@example.se', phone: '070-123 45 67' });
  assert.match(page.routing.explanation_sv, /Helsingborg/);
  const internal = await t.ctx.db.selectFrom('case_events').select('visibility').where('case_id', '=', kase.id).where('kind', '=', 'internal_note').executeTakeFirstOrThrow();
  assert.equal(internal.visibility, 'internal');
});

test('duplicates: same service, open, within 50 m and 30 days; suggested on the case page', async () => {
  const base = north(HELSINGBORG, 2000);
  const a = await helsingborgCase(t, { location: base });
  const near = await helsingborgCase(t, { location: north(base, 30) });
  const far = await helsingborgCase(t, { location: north(base, 80) });
  const other = await helsingborgCase(t, { location: north(base, 10), service_code: 'graffiti', attributes: {} });
  const old = await helsingborgCase(t, { location: north(base, 5), requested_at: new Date(Date.now() - 40 * 86_400_000) });
  const closed = await helsingborgCase(t, { location: north(base, 5) });
  await t.ctx.cases.changeStatus(closed.id, 'closed');
  const found = await findNearbyOpen(t.ctx.db, { lat: base.lat, lon: base.lon, service_id: a.service_id, exclude_case_id: a.id, scope: staff() });
  assert.deepEqual(found.map((f) => f.id), [near.id]);
  assert.ok(found[0].distance_m >= 29 && found[0].distance_m <= 31);
  const page = (await get(handler, `/api/staff/cases/${a.id}`)).json();
  assert.deepEqual(page.duplicate_candidates.map((d: { id: number }) => d.id), [near.id]);
  for (const c of [far, other, old]) assert.ok(!found.some((f) => f.id === c.id));
});

test('merge keeps both timelines, moves followers and the reporter, closes the duplicate with a public note', async () => {
  const base = north(HELSINGBORG, 4000);
  const target = await helsingborgCase(t, { location: base, reporter: { email: 'first@example.se' } });
  const dup = await helsingborgCase(t, { location: north(base, 20), reporter: { email: 'second@example.se' } });
  await t.ctx.db.insertInto('case_followers').values([
    { case_id: dup.id, organisation_id: dup.organisation_id, email: 'neighbour@example.se', token: 'tok-neighbour-1' },
    { case_id: dup.id, organisation_id: dup.organisation_id, email: 'both@example.se', token: 'tok-both-1' },
    { case_id: target.id, organisation_id: target.organisation_id, email: 'both@example.se', token: 'tok-both-2' },
  ]).execute();
  await post(handler, `/api/staff/cases/${dup.id}/notes`, { visibility: 'internal', body: 'Note on the duplicate' });
  const fresh = (await get(handler, `/api/staff/cases/${dup.id}`)).json();
  const stale = await post(handler, `/api/staff/cases/${dup.id}/merge`, { expected_version: dup.version, into: target.public_id });
  assert.equal(stale.statusCode, 409);
  const self = await post(handler, `/api/staff/cases/${dup.id}/merge`, { expected_version: fresh.case.version, into: String(dup.id) });
  assert.equal(self.statusCode, 400);
  const res = await post(handler, `/api/staff/cases/${dup.id}/merge`, { expected_version: fresh.case.version, into: target.public_id });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().duplicate.status, 'duplicate');
  const dupRow = await t.ctx.db.selectFrom('cases').selectAll().where('id', '=', dup.id).executeTakeFirstOrThrow();
  assert.equal(dupRow.duplicate_of_case_id, target.id);
  const closing = await t.ctx.db.selectFrom('case_events').selectAll().where('case_id', '=', dup.id).where('status_after', '=', 'duplicate').executeTakeFirstOrThrow();
  assert.equal(closing.visibility, 'public');
  assert.match(closing.body ?? '', new RegExp(target.public_id));
  const followers = await t.ctx.db.selectFrom('case_followers').select(['case_id', 'email']).where('email', 'in', ['neighbour@example.se', 'both@example.se', 'second@example.se']).orderBy('email').orderBy('case_id').execute();
  assert.deepEqual(followers.map((f) => `${f.email}@${f.case_id === target.id ? 'target' : 'dup'}`).sort(),
    ['both@example.se@dup', 'both@example.se@target', 'neighbour@example.se@target', 'second@example.se@target']);
  const page = (await get(handler, `/api/staff/cases/${target.id}`)).json();
  assert.deepEqual(page.case.merged_from.map((m: { id: number }) => m.id), [dup.id]);
  const fromDup = page.timeline.filter((e: { case_public_id: string }) => e.case_public_id === dup.public_id);
  assert.ok(fromDup.some((e: { body: string }) => e.body === 'Note on the duplicate'), 'the duplicate\'s timeline is shown with the target\'s');
  assert.ok(page.timeline.some((e: { kind: string }) => e.kind === 'merged'));
  const dupPage = (await get(handler, `/api/staff/cases/${dup.id}`)).json();
  assert.equal(dupPage.case.duplicate_of.public_id, target.public_id);
  const again = await post(handler, `/api/staff/cases/${target.id}/merge`, { expected_version: page.case.version, into: dup.public_id });
  assert.equal(again.statusCode, 409, 'cannot merge into a closed case');
});

test('contractor flow: work order, contractor sees only it without reporter contact, reports done with a photo, handler closes', async () => {
  const kase = await helsingborgCase(t);
  const other = await helsingborgCase(t);
  const meta = (await get(handler, '/api/staff/assignees')).json();
  const ljus = meta.contractors.find((c: { name_sv: string }) => c.name_sv.startsWith('Ljusdrift'));
  let res = await post(handler, `/api/staff/cases/${kase.id}/notes`, { visibility: 'internal', body: 'Intern anteckning' });
  res = await post(handler, `/api/staff/cases/${kase.id}/contractor`, { expected_version: res.json().version, contractor_organisation_id: ljus.id, instructions: 'Byt armaturen' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().status, 'action_scheduled');
  const orders = (await get(contractor, '/api/staff/contractor/orders')).json();
  assert.deepEqual(orders.items.map((i: { id: number }) => i.id), [kase.id]);
  const queue = (await get(contractor, '/api/staff/cases?limit=200')).json();
  assert.deepEqual(queue.items.map((i: { id: number }) => i.id), [kase.id]);
  assert.equal((await get(contractor, `/api/staff/cases/${other.id}`)).statusCode, 404);
  const page = (await get(contractor, `/api/staff/cases/${kase.id}`)).json();
  assert.equal(page.reporter, null);
  assert.equal(page.reporter_visible, false);
  assert.ok(!JSON.stringify(page).includes('test.testsson@example.se'), 'no reporter contact anywhere in the contractor\'s view');
  assert.ok(!page.timeline.some((e: { kind: string }) => e.kind === 'internal_note'), 'the municipality\'s internal notes stay internal');
  assert.equal(page.timeline.find((e: { kind: string }) => e.kind === 'contractor_assigned').body, 'Byt armaturen');
  assert.deepEqual(page.allowed_transitions, []);
  const forbidden = await post(contractor, `/api/staff/cases/${kase.id}/status`, { expected_version: page.case.version, status: 'closed' });
  assert.equal(forbidden.statusCode, 403);

  const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c33' } })
    .jpeg().withExif({ IFD0: { Copyright: 'secret-owner' } }).toBuffer();
  assert.ok((await sharp(photo).metadata()).exif, 'the test photo carries EXIF');
  const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('<html><script>alert(1)</script></html>')]);
  let form = multipart({ note: 'Klart', expected_version: String(page.case.version) }, { name: 'photo', data: fake });
  res = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${kase.id}/done`, headers: { ...contractor, 'content-type': form.contentType }, payload: form.payload });
  assert.equal(res.statusCode, 415, res.body);
  form = multipart({ note: 'Armaturen bytt, lyser igen.', expected_version: String(page.case.version) }, { name: 'photo', data: photo });
  res = await t.app.inject({ method: 'POST', url: `/api/staff/cases/${kase.id}/done`, headers: { ...contractor, 'content-type': form.contentType }, payload: form.payload });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().status, 'fixed');
  const stored = await t.ctx.db.selectFrom('attachments').selectAll().where('case_id', '=', kase.id).execute();
  assert.equal(stored.length, 1, 'the refused fake left no attachment');
  const files = fs.readdirSync(path.join(dataDir, 'uploads'), { recursive: true }).filter((f) => String(f).endsWith('.jpg'));
  assert.equal(files.length, 1, 'the refused fake left no file');

  const handlerPage = (await get(handler, `/api/staff/cases/${kase.id}`)).json();
  const done = handlerPage.timeline.find((e: { kind: string }) => e.kind === 'contractor_done');
  assert.equal(done.body, 'Armaturen bytt, lyser igen.');
  assert.equal(done.attachment_ids.length, 1);
  const img = await get(handler, handlerPage.attachments[0].url);
  assert.equal(img.statusCode, 200);
  assert.equal(img.headers['content-type'], 'image/jpeg');
  const meta2 = await sharp(img.rawPayload).metadata();
  assert.equal(meta2.exif, undefined, 'EXIF stripped');
  assert.equal((await get(contractor, handlerPage.attachments[0].url)).statusCode, 200, 'the contractor sees its own photo');
  assert.equal((await get(await signIn(t.app, 'handler@kungsbacka.demo'), handlerPage.attachments[0].url)).statusCode, 404);
  res = await post(handler, `/api/staff/cases/${kase.id}/status`, { expected_version: handlerPage.case.version, status: 'closed', public_note: 'Lampan lyser igen.' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().status, 'closed');
  const doneOrders = (await get(contractor, '/api/staff/contractor/orders?done=true')).json();
  assert.ok(doneOrders.items.some((i: { id: number }) => i.id === kase.id));
});

test('saved views are per person, shared ones visible to colleagues', async () => {
  let res = await post(handler, '/api/staff/views', { name: 'Mina brådskande', filters: { priority: [1], assignee: 'me', open: true }, shared: false });
  assert.equal(res.statusCode, 200, res.body);
  const mine = res.json().id;
  res = await post(handler, '/api/staff/views', { name: 'Avvikelser', filters: { sla: 'breached' }, shared: true });
  const views = (await get(supervisor, '/api/staff/views')).json().views;
  assert.deepEqual(views.map((v: { name: string }) => v.name), ['Avvikelser']);
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/staff/views/${mine}`, headers: supervisor })).statusCode, 404);
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/staff/views/${mine}`, headers: handler })).statusCode, 200);
});
