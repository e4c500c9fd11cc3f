import type { Kysely } from 'kysely';
import type { CaseStatus, Database } from '../db/types.js';
import type { AppContext } from '../app-context.js';
import { bboxOf } from '../reference/files.js';
import { hashPassword } from '../staff/passwords.js';
import { statusChange } from '../cases/service.js';
import { corridorPolygon, seededRandom } from './geometry.js';
import { seedDemoAssets } from '../assets/seed.js';
import {
  DEMO_CASE_MUNICIPALITIES, DEMO_DESCRIPTIONS, DEMO_MUNICIPALITIES, DEMO_ORGANISATIONS, DEMO_PASSWORD,
  DEMO_RESPONSIBILITIES, DEMO_USERS, E6_KUNGSBACKA,
} from './demo-data.js';

const SEED_KEY = 'demo_seed_v1';

export interface SeedResult {
  alreadySeeded: boolean;
  cases: number;
  users: { email: string; organisations: string }[];
}

async function organisationIdBySlug(db: Kysely<Database>, slug: string): Promise<number> {
  const row = await db.selectFrom('organisations').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return row.id;
}

async function ensureUnit(db: Kysely<Database>, organisationId: number, unit: { name_sv: string; name_en: string; is_default?: boolean }) {
  const existing = await db.selectFrom('units').select('id').where('organisation_id', '=', organisationId).where('name_sv', '=', unit.name_sv).executeTakeFirst();
  if (existing) return existing.id;
  const row = await db
    .insertInto('units')
    .values({ organisation_id: organisationId, name_sv: unit.name_sv, name_en: unit.name_en, is_default: unit.is_default ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function seedOrganisations(db: Kysely<Database>): Promise<void> {
  for (const [code, info] of Object.entries(DEMO_MUNICIPALITIES)) {
    await db.updateTable('organisations').set({ contact_email: info.email, contact_phone: info.phone, website: info.website }).where('municipality_code', '=', code).execute();
    const id = await organisationIdBySlug(db, `kommun-${code}`);
    for (const unit of info.units) await ensureUnit(db, id, unit);
  }
  for (const org of DEMO_ORGANISATIONS) {
    const host = org.host_municipality_code ? await organisationIdBySlug(db, `kommun-${org.host_municipality_code}`) : null;
    await db
      .insertInto('organisations')
      .values({ slug: org.slug, kind: org.kind, name_sv: org.name_sv, name_en: org.name_en, case_prefix: org.case_prefix, host_organisation_id: host })
      .onConflict((oc) => oc.column('slug').doUpdateSet({ name_sv: org.name_sv, name_en: org.name_en }))
      .execute();
    const id = await organisationIdBySlug(db, org.slug);
    for (const unit of org.units) await ensureUnit(db, id, unit);
  }
}

async function seedCorridor(db: Kysely<Database>): Promise<void> {
  const geometry = corridorPolygon(E6_KUNGSBACKA, 60);
  const [minLon, minLat, maxLon, maxLat] = bboxOf(geometry);
  await db
    .insertInto('areas')
    .values({ kind: 'road_corridor', code: 'E6-1384', name: 'E6 genom Kungsbacka', municipality_code: '1384', geometry: JSON.stringify(geometry), min_lon: minLon, min_lat: minLat, max_lon: maxLon, max_lat: maxLat })
    .onConflict((oc) => oc.columns(['kind', 'code']).doNothing())
    .execute();
}

async function seedResponsibilities(db: Kysely<Database>): Promise<void> {
  for (const r of DEMO_RESPONSIBILITIES) {
    const providerId = await organisationIdBySlug(db, r.provider);
    const exists = await db.selectFrom('responsibilities').select('id').where('provider_organisation_id', '=', providerId).where('reference', '=', r.reference).executeTakeFirst();
    if (exists) continue;
    const created = await db
      .insertInto('responsibilities')
      .values({ provider_organisation_id: providerId, kind: r.kind, reference: r.reference, title: r.title, valid_from: r.valid_from })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const area of r.areas) {
      const a = await db.selectFrom('areas').select('id').where('kind', '=', area.kind).where('code', '=', area.code).executeTakeFirstOrThrow();
      await db.insertInto('responsibility_areas').values({ responsibility_id: created.id, area_id: a.id }).execute();
    }
    for (const group of r.groups ?? []) await db.insertInto('responsibility_services').values({ responsibility_id: created.id, group_code: group }).execute();
    for (const code of r.services ?? []) {
      const s = await db.selectFrom('services').select('id').where('service_code', '=', code).executeTakeFirstOrThrow();
      await db.insertInto('responsibility_services').values({ responsibility_id: created.id, service_id: s.id }).execute();
    }
  }
}

async function seedUsers(db: Kysely<Database>): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of DEMO_USERS) {
    await db
      .insertInto('users')
      .values({ email: u.email, display_name: u.display_name, password_hash: passwordHash })
      .onConflict((oc) => oc.column('email').doNothing())
      .execute();
    const user = await db.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirstOrThrow();
    for (const m of u.memberships) {
      const orgId = await organisationIdBySlug(db, m.organisation);
      const unit = m.unit
        ? await db.selectFrom('units').select('id').where('organisation_id', '=', orgId).where('name_sv', '=', m.unit).executeTakeFirst()
        : undefined;
      await db
        .insertInto('memberships')
        .values({ user_id: user.id, organisation_id: orgId, role: m.role, unit_id: unit?.id ?? null })
        .onConflict((oc) => oc.columns(['user_id', 'organisation_id']).doNothing())
        .execute();
    }
  }
}

/** A plausible path through the states for a case of a given age. */
function lifecycleFor(random: () => number, ageDays: number): CaseStatus[] {
  const r = random();
  if (ageDays < 2 || r < 0.2) return [];
  if (r < 0.3) return ['confirmed'];
  if (r < 0.4) return ['investigating'];
  if (r < 0.5) return ['confirmed', 'in_progress'];
  if (r < 0.56) return ['confirmed', 'action_scheduled'];
  if (r < 0.8) return ['confirmed', 'in_progress', 'fixed'];
  if (r < 0.9) return ['confirmed', 'fixed', 'closed'];
  if (r < 0.95) return ['no_further_action'];
  return ['confirmed', 'fixed', 'reopened'];
}

const FIRST_NAMES = ['Anna', 'Erik', 'Fatima', 'Lars', 'Maja', 'Omar', 'Sofia', 'Johan', 'Leila', 'Nils'];
const LAST_NAMES = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Hassan', 'Larsson', 'Olsson'];

/**
 * All demo cases go through the case service like any channel's, but in one transaction: on the embedded
 * database a commit per change made the first start several seconds slower.
 */
async function seedCases(ctx: AppContext, now: Date): Promise<number> {
  return ctx.db.transaction().execute((trx) => seedCasesIn(ctx, trx, now));
}

async function seedCasesIn(ctx: AppContext, trx: Kysely<Database>, now: Date): Promise<number> {
  const random = seededRandom(1384);
  const services = await trx.selectFrom('services').select(['service_code', 'attributes']).where('active', '=', true).orderBy('sort_order').execute();
  const index = ctx.routing.areaIndex;
  let created = 0;
  for (const [code, count] of DEMO_CASE_MUNICIPALITIES) {
    const area = index.byKind('municipality').find((a) => a.code === code)!;
    for (let i = 0; i < count; i++) {
      let lon = 0, lat = 0;
      for (let tries = 0; tries < 500; tries++) {
        lon = area.bbox[0] + random() * (area.bbox[2] - area.bbox[0]);
        lat = area.bbox[1] + random() * (area.bbox[3] - area.bbox[1]);
        if (index.municipalityAt(lon, lat)?.code === code) break;
      }
      const service = services[Math.floor(random() * services.length)];
      const attributes: Record<string, string | string[]> = {};
      for (const def of service.attributes) {
        if (def.values?.length && (def.required || random() < 0.5)) {
          const pick = def.values[Math.floor(random() * def.values.length)].key;
          attributes[def.code] = def.datatype === 'multivaluelist' ? [pick] : pick;
        }
      }
      const texts = DEMO_DESCRIPTIONS[service.service_code] ?? DEMO_DESCRIPTIONS.other;
      const ageDays = random() * 150;
      const requestedAt = new Date(now.getTime() - ageDays * 86_400_000);
      const withReporter = random() < 0.7;
      const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)];
      const last = LAST_NAMES[Math.floor(random() * LAST_NAMES.length)];
      const channel = (['web', 'web', 'web', 'app', 'open311', 'phone', 'email'] as const)[Math.floor(random() * 7)];
      const { case: kase } = await ctx.cases.createCase({
        service_code: service.service_code,
        location: { lat, lon },
        description: texts[Math.floor(random() * texts.length)],
        attributes,
        channel,
        requested_at: requestedAt,
        reporter: withReporter ? { name: `${first} ${last}`, email: `${first}.${last}${i}@example.se`.toLowerCase(), locale: 'sv' } : null,
      }, trx);
      let at = requestedAt.getTime();
      for (const status of lifecycleFor(random, ageDays)) {
        at += random() * Math.max(1, ageDays / 4) * 86_400_000;
        if (at > now.getTime()) break;
        const note = status === 'fixed' ? 'Åtgärdat. Tack för din anmälan!' : status === 'reopened' ? 'Inte åtgärdat enligt anmälaren.' : null;
        await ctx.cases.mutateIn(trx, kase.id, {
          at: new Date(at),
          actor: { user_id: null, organisation_id: kase.organisation_id, label: 'Demo' },
        }, async (_trx, k, changeAt) => statusChange(k, status, changeAt, note));
      }
      created++;
    }
  }
  return created;
}

/** The demo: shared services, a state road, a contractor, staff log-ins and a few hundred cases. Idempotent. */
export async function seedDemo(ctx: AppContext, now: Date = new Date()): Promise<SeedResult> {
  const db = ctx.db;
  const users = DEMO_USERS.map((u) => ({ email: u.email, organisations: u.memberships.map((m) => `${m.organisation} (${m.role})`).join(', ') }));
  const marker = await db.selectFrom('settings').select('key').where('key', '=', SEED_KEY).executeTakeFirst();
  if (marker) return { alreadySeeded: true, cases: 0, users };
  await seedOrganisations(db);
  await seedCorridor(db);
  await ctx.routing.refresh();
  await seedResponsibilities(db);
  await seedUsers(db);
  await seedDemoAssets(ctx);
  const cases = await seedCases(ctx, now);
  await db
    .insertInto('settings')
    .values({ key: SEED_KEY, value: JSON.stringify({ seeded_at: now.toISOString(), cases }) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return { alreadySeeded: false, cases, users };
}
