import type { Kysely } from 'kysely';
import type { CaseStatus, Channel, Database, RoutingDecision, ServiceAttribute, SlaTiers } from '../db/types.js';
import type { RoutingService } from '../routing/service.js';
import { seededRandom } from '../seed/geometry.js';
import { DEMO_DESCRIPTIONS } from '../seed/demo-data.js';
import { dueAtFor } from '../cases/service.js';
import { OPEN311_STATUS } from '../cases/states.js';

/**
 * A deterministic, realistic national data set for benchmarks and the EXPLAIN tests: cases spread over
 * all 290 municipalities by population, at points inside each municipality's real polygon (with the
 * clustering real reports show: many reports near the same spots), the 15 catalogue services with their
 * attributes, a state mix by age, office-hours timestamps over the last year, and routing decided by the
 * real RoutingService (cached per set of areas × service), so organisations and explanations are right.
 */
export interface DatasetOptions {
  count: number;
  seed?: number;
  /** The newest case is at most this old; the oldest `days` days before it. */
  now?: Date;
  days?: number;
}

/** One generated case row, in the column names of `cases`. */
export type GeneratedCase = Record<(typeof CASE_COLUMNS)[number], string | number | boolean | Date | null>;

/** The columns a generated case fills, in COPY order. */
export const CASE_COLUMNS = [
  'public_id', 'organisation_id', 'unit_id', 'municipality_code', 'service_id', 'status', 'priority', 'channel',
  'description', 'lat', 'lon', 'attributes', 'responsibility_id', 'routing', 'sla_due_at', 'requested_at',
  'updated_at', 'closed_at', 'version', 'follow_token', 'reopen_count', 'as_received',
] as const;

interface ServiceRow {
  id: number;
  service_code: string;
  group_code: string;
  name_sv: string;
  name_en: string;
  attributes: ServiceAttribute[];
  sla_tiers: SlaTiers;
  default_priority: number;
  group_name_sv: string;
  group_name_en: string;
}

/** Relative frequency of each service in real Swedish report data (street lighting and potholes lead). */
const SERVICE_WEIGHT: Record<string, number> = {
  street_light: 18, pothole: 14, illegal_dumping: 8, graffiti: 6, litter: 8, fallen_tree: 4, playground: 3,
  snow_ice: 9, water_leak: 3, traffic_sign: 5, full_bin: 7, park: 5, noise: 3, feedback: 4, other: 3,
};
const CHANNELS: [Channel, number][] = [['web', 45], ['app', 20], ['open311', 10], ['phone', 15], ['email', 7], ['visit', 1], ['staff', 2]];
/** Hours of the day (Swedish time) weighted as people report: little at night, a peak after work. */
const HOUR_WEIGHT = [1, 0.5, 0.3, 0.3, 0.4, 1, 3, 6, 8, 8, 8, 7, 7, 7, 7, 8, 9, 9, 8, 7, 6, 4, 3, 2];

function weightedPicker<T>(items: [T, number][], random: () => number): () => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of items) cumulative.push((acc += w / total));
  return () => {
    const r = random();
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo][0];
  };
}

/** The final state and the days from intake to it, for a case of a given age. */
function finalState(random: () => number, ageDays: number): { status: CaseStatus; afterDays: number; reopened: boolean } {
  const r = random();
  const afterDays = Math.min(ageDays, random() * random() * 40);
  if (ageDays < 1 || r < 0.08) return { status: 'submitted', afterDays: 0, reopened: false };
  if (r < 0.14) return { status: 'confirmed', afterDays, reopened: false };
  if (r < 0.18) return { status: 'investigating', afterDays, reopened: false };
  if (r < 0.24) return { status: 'in_progress', afterDays, reopened: false };
  if (r < 0.27) return { status: 'action_scheduled', afterDays, reopened: false };
  if (r < 0.52) return { status: 'fixed', afterDays, reopened: false };
  if (r < 0.84) return { status: 'closed', afterDays, reopened: false };
  if (r < 0.88) return { status: 'duplicate', afterDays: Math.min(ageDays, 0.5), reopened: false };
  if (r < 0.9) return { status: 'forwarded', afterDays: Math.min(ageDays, 1), reopened: false };
  if (r < 0.98) return { status: 'no_further_action', afterDays, reopened: false };
  return { status: 'reopened', afterDays, reopened: true };
}

function token(random: () => number, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * 64)];
  return out;
}

/**
 * Yields `count` case rows in batches. Reads services, municipalities, prefixes and number counters
 * from the database once; the caller stores the rows (see bulk-load.ts) and then the counters.
 */
export async function* generateCases(
  db: Kysely<Database>,
  routing: RoutingService,
  options: DatasetOptions,
  batchSize = 10_000,
): AsyncGenerator<GeneratedCase[], Map<string, number>> {
  const random = seededRandom(options.seed ?? 9);
  const now = (options.now ?? new Date('2026-11-20T10:00:00Z')).getTime();
  const days = options.days ?? 365;
  const services = (await db
    .selectFrom('services')
    .innerJoin('service_groups', 'service_groups.code', 'services.group_code')
    .select(['services.id', 'service_code', 'group_code', 'services.name_sv', 'services.name_en', 'attributes', 'sla_tiers', 'default_priority',
      'service_groups.name_sv as group_name_sv', 'service_groups.name_en as group_name_en'])
    .where('active', '=', true)
    .orderBy('services.id')
    .execute()) as ServiceRow[];
  const municipalities = await db.selectFrom('municipalities').select(['code', 'population_2016']).orderBy('code').execute();
  const prefixes = new Map((await db.selectFrom('organisations').select(['municipality_code', 'case_prefix']).where('kind', '=', 'municipality').execute())
    .map((o) => [o.municipality_code!, o.case_prefix]));
  const counters = new Map((await db.selectFrom('case_number_counters').selectAll().execute()).map((c) => [`${c.prefix}-${c.year}`, c.last_number]));
  const pickService = weightedPicker(services.map((s) => [s, SERVICE_WEIGHT[s.service_code] ?? 2]), random);
  const pickMunicipality = weightedPicker(municipalities.map((m) => [m.code, m.population_2016 ?? 10_000]), random);
  const pickChannel = weightedPicker(CHANNELS, random);
  const pickHour = weightedPicker(HOUR_WEIGHT.map((w, h) => [h, w]), random);
  const areas = new Map(routing.areaIndex.byKind('municipality').map((a) => [a.code, a]));
  const hotspots = new Map<string, [number, number][]>();
  const decisions = new Map<string, { decision: RoutingDecision; json: string } | null>();
  const yearOf = (t: number) => new Date(t + 3_600_000).getUTCFullYear();

  const pointIn = (code: string): [number, number] => {
    const spots = hotspots.get(code) ?? [];
    hotspots.set(code, spots);
    // Real reports cluster (the same broken lamp, the same dumping site): reuse a known spot, a few
    // metres off, once a municipality has enough of them.
    if (spots.length >= 400 || (spots.length > 20 && random() < 0.5)) {
      const [lon, lat] = spots[Math.floor(random() * spots.length)];
      const moved: [number, number] = [lon + (random() - 0.5) * 0.0004, lat + (random() - 0.5) * 0.0002];
      return routing.areaIndex.municipalityAt(moved[0], moved[1])?.code === code ? moved : [lon, lat];
    }
    const area = areas.get(code)!;
    for (let tries = 0; tries < 1000; tries++) {
      const lon = area.bbox[0] + random() * (area.bbox[2] - area.bbox[0]);
      const lat = area.bbox[1] + random() * (area.bbox[3] - area.bbox[1]);
      if (routing.areaIndex.municipalityAt(lon, lat)?.code === code) {
        spots.push([lon, lat]);
        return [lon, lat];
      }
    }
    throw new Error(`no point found inside municipality ${code}`);
  };

  // Decisions depend on the set of areas and the service only (agreements in the demo do not change
  // within the year), so each pair is decided once; "nobody handles this here" is remembered too.
  const decide = async (lon: number, lat: number, service: ServiceRow, at: Date) => {
    const placement = await routing.place({ lat, lon, address: null, postal_code: null, municipality_code: null }, db);
    const key = `${placement.areas.map((a) => a.id).sort().join(',')}|${service.id}`;
    let cached = decisions.get(key);
    if (cached === undefined) {
      const decision = await routing.decide(placement, service, at, db).catch(() => null);
      cached = decision && { decision, json: JSON.stringify(decision) };
      decisions.set(key, cached);
    }
    return cached && { placement, ...cached };
  };

  // Decide every municipality × service pair up front, several at a time: one by one, the round trips
  // of 4 350 decisions took longer than generating the cases.
  const pairs = [...areas.values()].flatMap((area) => services.map((service) => ({ area, service })));
  const warm = async () => {
    for (let pair = pairs.pop(); pair; pair = pairs.pop()) {
      const placement = { municipality_code: pair.area.code, areas: [pair.area], located_by: 'point' as const };
      const decision = await routing.decide(placement, pair.service, new Date(now), db).catch(() => null);
      decisions.set(`${pair.area.id}|${pair.service.id}`, decision && { decision, json: JSON.stringify(decision) });
    }
  };
  await Promise.all(Array.from({ length: 8 }, warm));

  // The SLA calendar is exact but slow for a million rows: compute it per service, priority and day,
  // and keep the time of day.
  const dueTimes = new Map<string, number | null>();
  const dueAt = (service: ServiceRow, priority: number, at: number): Date | null => {
    const day = at - (at % 86_400_000);
    const key = `${service.id}|${priority}|${day}`;
    let due = dueTimes.get(key);
    if (due === undefined) {
      due = dueAtFor(service.sla_tiers, priority, new Date(day))?.getTime() ?? null;
      dueTimes.set(key, due);
    }
    return due === null ? null : new Date(due + (at - day));
  };

  let batch: GeneratedCase[] = [];
  for (let i = 0; i < options.count; i++) {
    const code = pickMunicipality();
    const service = pickService();
    const [lon, lat] = pointIn(code);
    const ageDays = Math.floor(random() * days);
    const dayStart = now - ageDays * 86_400_000 - (now % 86_400_000);
    const weekday = new Date(dayStart).getUTCDay();
    // Fewer reports at weekends: move a share of them to the Monday.
    const shift = (weekday === 0 || weekday === 6) && random() < 0.4 ? (weekday === 6 ? 2 : 1) : 0;
    const requested = Math.min(now, dayStart + shift * 86_400_000 + (pickHour() - 1) * 3_600_000 + Math.floor(random() * 3_600_000));
    const requestedAt = new Date(requested);
    const routed = await decide(lon, lat, service, requestedAt);
    if (!routed) continue; // nobody handles this service here (as in reality): the citizen is told, no case exists
    const { placement, decision, json } = routed;
    const prefix = prefixes.get(placement.municipality_code) ?? `K${placement.municipality_code}`;
    const counterKey = `${prefix}-${yearOf(requested)}`;
    const number = (counters.get(counterKey) ?? 0) + 1;
    counters.set(counterKey, number);
    const final = finalState(random, (now - requested) / 86_400_000);
    const changedAt = new Date(requested + final.afterDays * 86_400_000);
    const closed = OPEN311_STATUS[final.status] === 'closed';
    const attributes: Record<string, string> = {};
    for (const def of service.attributes) {
      if (def.values?.length && (def.required || random() < 0.3)) attributes[def.code] = def.values[Math.floor(random() * def.values.length)].key;
    }
    const texts = DEMO_DESCRIPTIONS[service.service_code] ?? DEMO_DESCRIPTIONS.other;
    const description = texts[Math.floor(random() * texts.length)];
    const priority = random() < 0.05 ? 1 : random() < 0.1 ? 3 : service.default_priority;
    const channel = pickChannel();
    batch.push({
      public_id: `${counterKey}-${String(number).padStart(5, '0')}`,
      organisation_id: decision.provider_organisation_id,
      unit_id: decision.unit_id,
      municipality_code: placement.municipality_code,
      service_id: service.id,
      status: final.status,
      priority,
      channel,
      description,
      lat: Math.round(lat * 1e6) / 1e6,
      lon: Math.round(lon * 1e6) / 1e6,
      attributes: JSON.stringify(attributes),
      responsibility_id: decision.responsibility_id,
      routing: json,
      sla_due_at: dueAt(service, priority, requested),
      requested_at: requestedAt,
      updated_at: changedAt,
      closed_at: closed ? changedAt : null,
      version: final.status === 'submitted' ? 1 : 2,
      follow_token: token(random, 24),
      reopen_count: final.reopened ? 1 : 0,
      as_received: JSON.stringify({ service_code: service.service_code, description, channel, location: { lat, lon } }),
    });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
  return counters;
}
