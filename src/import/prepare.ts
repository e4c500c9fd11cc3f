import type { Kysely } from 'kysely';
import type { CaseStatus, Channel, Database, RoutingDecision } from '../db/types.js';
import { listActiveServices, type ServiceWithGroup } from '../catalogue/repo.js';
import { normaliseLocation, type NormalisedLocation } from '../routing/location.js';
import { swedishDate, type RoutingService } from '../routing/service.js';
import { OPEN311_STATUS } from '../cases/states.js';
import { AppError } from '../shared/errors.js';
import { parseDate } from './dates.js';
import { DueTimes } from './due-times.js';
import type { Field, ImportMapping } from './mapping.js';

/** One source record: the mapped fields as text, and where it came from (line for CSV, position for Open311). */
export interface SourceRecord {
  line: number;
  fields: Partial<Record<Field, string>>;
}

/** A record that passed every check, routed and ready to be written. */
export interface PreparedCase {
  line: number;
  external_id: string;
  service: ServiceWithGroup;
  status: CaseStatus;
  channel: Channel;
  title: string | null;
  description: string;
  location: NormalisedLocation;
  municipality_code: string;
  /** The routing decision this case shares with others of its place, service and period. */
  decision: SharedDecision;
  /** The shared decision as JSON without its closing brace; cases.routing adds located_by and decided_at to it. */
  decision_json: string;
  located_by: RoutingDecision['located_by'];
  requested_at: Date;
  /** The Swedish calendar year the case came in: its case-number series. */
  year: number;
  closed_at: Date | null;
  updated_at: Date;
  sla_due_at: Date | null;
  reporter: { name: string | null; email: string | null; phone: string | null } | null;
}

/** A routing decision without what differs per case. */
export type SharedDecision = Omit<RoutingDecision, 'located_by' | 'decided_at'>;

/** Why a record was not imported. */
export interface RowError {
  line: number;
  field: string;
  message: string;
}

const HOUR_MS = 3_600_000;
const HTML_TAG = /<\/?[a-z!][^>]*>/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class RowFault extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/**
 * Validates and routes records with the case-creation rules (service known, plain text ≤ 4000 characters,
 * location normalised and inside the municipality, responsibility found, SLA due time from the service's
 * tiers), but keeps routing in memory: the area index places points without SQL, and decisions are cached per
 * (areas, service, validity period), where the periods are cut at every date an agreement starts or ends; SLA due
 * times are memoised per service and day (see DueTimes).
 */
export class Preparer {
  private services = new Map<string, ServiceWithGroup>();
  private decisions = new Map<string, Promise<{ decision: SharedDecision; json: string }>>();
  private boundaries: string[] = [];
  private days = new Map<number, string>();
  private dues = new DueTimes((at) => this.swedishDay(at));

  constructor(private readonly db: Kysely<Database>, private readonly routing: RoutingService, private readonly municipalityCode: string, private readonly mapping: ImportMapping) {}

  /** Loads the catalogue and the dates at which any responsibility starts or ends. */
  async init(): Promise<void> {
    for (const s of await listActiveServices(this.db)) this.services.set(s.service_code, s);
    const rows = await this.db.selectFrom('responsibilities').select(['valid_from', 'valid_to']).execute();
    const dates = new Set<string>();
    const day = (d: unknown) => (d instanceof Date ? swedishDate(d) : String(d));
    for (const r of rows) {
      dates.add(day(r.valid_from));
      if (r.valid_to) {
        const next = new Date(`${day(r.valid_to)}T12:00:00Z`);
        next.setUTCDate(next.getUTCDate() + 1);
        dates.add(next.toISOString().slice(0, 10));
      }
    }
    this.boundaries = [...dates].sort();
  }

  /** Swedish calendar day of an instant; cached per UTC hour (Swedish offsets are whole hours). */
  private swedishDay(at: Date): string {
    const hour = Math.floor(at.getTime() / HOUR_MS);
    let day = this.days.get(hour);
    if (!day) this.days.set(hour, (day = swedishDate(at)));
    return day;
  }

  private period(date: string): number {
    let lo = 0;
    let hi = this.boundaries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.boundaries[mid] <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private serviceOf(category: string | undefined): ServiceWithGroup {
    const raw = (category ?? '').trim();
    const code = this.mapping.categories[raw.toLowerCase()] ?? this.mapping.categories['*'] ?? raw;
    const service = this.services.get(code);
    if (!service) throw new RowFault('category', `"${raw}" maps to no known service (add it to the mapping's categories, or a "*" default)`);
    return service;
  }

  private date(field: Field, value: string | undefined): Date | undefined {
    const d = parseDate(value, this.mapping.date_format, this.mapping.time_zone);
    if (d === null || (d && Number.isNaN(d.getTime()))) throw new RowFault(field, `"${value}" is not a date in the format ${this.mapping.date_format}`);
    return d;
  }

  /** A prepared case, or the first fault of the record. */
  async prepare(rec: SourceRecord): Promise<PreparedCase | RowError> {
    try {
      return await this.prepareOrThrow(rec);
    } catch (error) {
      if (error instanceof RowFault) return { line: rec.line, field: error.field, message: error.message };
      if (error instanceof AppError) return { line: rec.line, field: error.field ?? 'location', message: error.message };
      throw error;
    }
  }

  private async prepareOrThrow(rec: SourceRecord): Promise<PreparedCase> {
    const f = rec.fields;
    const externalId = f.id?.trim();
    if (!externalId) throw new RowFault('id', 'is empty; every record needs its source id');
    if (externalId.length > 200) throw new RowFault('id', 'is longer than 200 characters');
    const service = this.serviceOf(f.category);
    const description = (f.description ?? '').replace(/\r\n/g, '\n').trim();
    if (description.length > 4000) throw new RowFault('description', `is ${description.length} characters; at most 4000 are allowed`);
    if (HTML_TAG.test(description)) throw new RowFault('description', 'contains HTML; cases hold plain text');
    const title = f.title?.trim() || null;
    if (title && title.length > 200) throw new RowFault('title', 'is longer than 200 characters');
    const statusRaw = (f.status ?? 'closed').trim().toLowerCase();
    const status = this.mapping.statuses[statusRaw];
    if (!status) throw new RowFault('status', `"${f.status}" maps to no state (add it to the mapping's statuses)`);
    const channelRaw = (f.channel ?? '').trim().toLowerCase();
    const channel = channelRaw ? this.mapping.channels[channelRaw] : 'import';
    if (!channel) throw new RowFault('channel', `"${f.channel}" maps to no channel (add it to the mapping's channels)`);
    const requestedAt = this.date('created', f.created);
    if (!requestedAt) throw new RowFault('created', 'is empty; the time the case came in is required');
    const closedAt = this.date('closed', f.closed) ?? null;
    const updatedAt = this.date('updated', f.updated);
    const isClosed = OPEN311_STATUS[status] === 'closed';
    const closed = isClosed ? (closedAt ?? updatedAt ?? null) : null;
    if (closed && closed < requestedAt) throw new RowFault(closedAt ? 'closed' : 'updated', 'is before the created time');
    const email = f.reporter_email?.trim().toLowerCase() || null;
    if (email && !EMAIL.test(email)) throw new RowFault('reporter_email', 'is not an e-mail address');
    const useCoordinates = this.mapping.coordinates === 'use';
    const location = normaliseLocation({
      lat: useCoordinates ? f.lat : null, lon: useCoordinates ? f.long : null, address: f.address, postal_code: f.postal_code, municipality_code: this.municipalityCode,
    }, { lon: 'long' });
    // "coordinates": "ignore" places every record in the municipality (e.g. a demo import of another country's
    // data), so a foreign zip code must not be read as a Swedish postal code either.
    if (!useCoordinates) location.postal_code = null;
    const placement = await this.routing.place(location);
    if (placement.municipality_code !== this.municipalityCode) {
      throw new RowFault(location.lat !== null ? 'lat' : 'address', `the place lies in municipality ${placement.municipality_code}, not in ${this.municipalityCode}`);
    }
    const day = this.swedishDay(requestedAt);
    const key = `${placement.areas.map((a) => a.id).join('.')}|${service.id}|${this.period(day)}`;
    let decided = this.decisions.get(key);
    if (!decided) {
      decided = this.routing.decide(placement, service, requestedAt).then(({ located_by: _l, decided_at: _d, ...shared }) => {
        // The JSON all cases under this decision share, written once; each case adds its own two fields (rows.ts).
        return { decision: shared, json: JSON.stringify(shared).slice(0, -1) };
      });
      this.decisions.set(key, decided);
      decided.catch(() => this.decisions.delete(key));
    }
    const { decision, json } = await decided;
    const reporterName = f.reporter_name?.trim() || null;
    const reporterPhone = f.reporter_phone?.trim() || null;
    return {
      line: rec.line,
      external_id: externalId,
      service,
      status,
      channel,
      title,
      description,
      location,
      municipality_code: placement.municipality_code,
      decision,
      decision_json: json,
      located_by: placement.located_by,
      requested_at: requestedAt,
      year: Number(day.slice(0, 4)),
      closed_at: closed,
      updated_at: closed ?? updatedAt ?? requestedAt,
      sla_due_at: this.dues.dueAt(service, requestedAt),
      reporter: reporterName || email || reporterPhone ? { name: reporterName, email, phone: reporterPhone } : null,
    };
  }
}
