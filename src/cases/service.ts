import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Case, CaseEvent, CaseStatus, CaseUpdate, Channel, Database, RoutingDecision, SlaTiers } from '../db/types.js';
import { findServiceByCode } from '../catalogue/repo.js';
import { validateAttributes, type AttributeValues } from '../catalogue/attributes.js';
import { normaliseLocation, type LocationInput } from '../routing/location.js';
import type { RoutingService } from '../routing/service.js';
import type { StoredImage } from '../attachments/store.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { computeDueAt } from './sla.js';
import { appendEvents, casePrefixOf, lockCase, type NewEvent } from './repo.js';
import { callerContext, IntakeBatcher, storeIntakes, takeNumbers, type CreatedCase, type PreparedIntake } from './intake.js';
import { runCaseEffects, type EffectEnv } from './effects.js';
import { withWriteBatch } from '../shared/write-batch.js';
import type { ReferenceCache, ReferenceView } from '../shared/reference-cache.js';
import { canTransition, OPEN311_STATUS, STATUS_LABELS } from './states.js';
import type { CaseActor, CaseScope } from './scope.js';

/** Contact details of the person reporting; kept apart from the case. */
export interface ReporterInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  device_id?: string | null;
  account_id?: string | null;
  locale?: 'sv' | 'en';
}

/** Everything any channel (web, Open311, contact centre, alarm, import) gives to create a case. */
export interface NewCaseInput {
  service_code: string;
  location: LocationInput;
  description?: string | null;
  title?: string | null;
  attributes?: AttributeValues;
  channel: Channel;
  reporter?: ReporterInput | null;
  media_url?: string | null;
  /** Photos stored on disk (re-encoded); recorded with the case in its transaction. */
  photos?: StoredImage[];
  priority?: 1 | 2 | 3;
  api_key_id?: number | null;
  asset_id?: number | null;
  /** The provider of the asset's responsibility wins over the area's (see assets). */
  routing_override?: Pick<RoutingDecision, 'provider_organisation_id' | 'unit_id' | 'explanation_sv' | 'explanation_en'> | null;
  external?: { source: string; id: string } | null;
  requested_at?: Date;
  actor?: { user_id: number | null; organisation_id: number | null; label: string } | null;
  confidential?: boolean;
  /** The contact centre answered the caller at once: the case is closed with this answer as its public note. */
  resolved_at_first_contact?: { answer: string } | null;
  /** Reference data the caller synced moments ago in this request (the Open311 key check); read once, not twice. */
  reference?: ReferenceView | null;
  /** Open311 jurisdiction_id: the point must lie in that municipality. */
  jurisdiction_code?: string | null;
  /** Names the client uses for our fields, so errors name the field as the client sent it. */
  field_names?: Partial<Record<'lat' | 'lon' | 'address' | 'postal_code' | 'municipality_code' | 'description' | 'service_code' | 'email', string>>;
}

export type { CreatedCase };

const HTML_TAG = /<\/?[a-z!][^>]*>/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function newFollowToken(): string {
  return crypto.randomBytes(18).toString('base64url');
}

// Built once: constructing an Intl formatter per case cost more than the rest of the year lookup.
const STOCKHOLM_YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Stockholm', year: 'numeric' });

function stockholmYear(at: Date): number {
  return Number(STOCKHOLM_YEAR.format(at));
}

/** Due time for a priority under the service's SLA tiers; null when the service sets none. */
export function dueAtFor(tiers: SlaTiers, priority: number, from: Date): Date | null {
  const tier = tiers[String(priority) as '1' | '2' | '3'];
  return tier ? computeDueAt(from, tier) : null;
}

/**
 * The one path by which every case changes: each change runs in one transaction, locks the case,
 * appends an event and runs the registered effects (outbox rows) before commit.
 */
export class CaseService {
  private readonly intakes = new IntakeBatcher((intakes) => this.storeGroup(intakes));

  constructor(
    private readonly db: Kysely<Database>,
    private readonly routing: RoutingService,
    private readonly reference: ReferenceCache,
  ) {}

  /**
   * Validates, routes and stores a new case with its reporter, number, SLA due time and first events.
   * `outerTrx` runs it inside the caller's transaction (alarms: the case and the alarm row commit together).
   */
  async createCase(input: NewCaseInput, outerTrx?: Kysely<Database>): Promise<CreatedCase> {
    const f = (k: keyof NonNullable<NewCaseInput['field_names']>) => input.field_names?.[k] ?? k;
    const outside = outerTrx ?? this.db;
    // One read of reference_version (or none, when the caller just made it); then catalogue, routing, prefix and
    // effect lookups come from memory.
    const reference = input.reference ?? (await this.reference.current(outside));
    const serviceCode = input.service_code ?? '';
    const service = await reference.get(`service:${serviceCode}`, () => findServiceByCode(outside, serviceCode));
    if (!service || !service.active) {
      throw new AppError({ status: 400, code: 'unknown_service', field: f('service_code'),
        message: `${f('service_code')}: "${input.service_code}" is not a known service`,
        message_sv: `${f('service_code')}: "${input.service_code}" är ingen känd kategori` });
    }
    const description = (input.description ?? '').replace(/\r\n/g, '\n').trim();
    if (description.length > 4000) throw badInput(f('description'), 'must be at most 4000 characters', 'får vara högst 4000 tecken');
    if (HTML_TAG.test(description)) throw badInput(f('description'), 'must be plain text, without HTML', 'ska vara vanlig text utan HTML');
    const title = input.title?.trim() || null;
    if (title && title.length > 200) throw badInput('title', 'must be at most 200 characters', 'får vara högst 200 tecken');
    const email = input.reporter?.email?.trim().toLowerCase() || null;
    if (email && (!EMAIL.test(email) || email.length > 254)) throw badInput(f('email'), 'is not a valid e-mail address', 'är ingen giltig e-postadress');
    const attributes = validateAttributes(service.attributes, input.attributes ?? {});
    const location = normaliseLocation(input.location, input.field_names);
    const requestedAt = input.requested_at ?? new Date();
    const answer = input.resolved_at_first_contact ? input.resolved_at_first_contact.answer.replace(/\r\n/g, '\n').trim() : null;
    if (answer !== null && (answer.length === 0 || answer.length > 4000)) {
      throw badInput('answer', 'must be 1–4000 characters: the answer given to the caller', 'ska vara 1–4000 tecken: svaret som gavs');
    }

    const placement = await this.routing.place(location, outside);
    if (input.jurisdiction_code && placement.municipality_code !== input.jurisdiction_code) {
      throw badInput(f('lat'), `the location lies in municipality ${placement.municipality_code}, not in jurisdiction_id ${input.jurisdiction_code}`,
        `platsen ligger i kommun ${placement.municipality_code}, inte i ${input.jurisdiction_code}`, 'wrong_jurisdiction');
    }
    let decision = await this.routing.decide(placement, service, requestedAt, outside, reference);
    if (input.routing_override) decision = { ...decision, ...input.routing_override, kind: decision.kind };
    const prefix = await reference.get(`case-prefix:${placement.municipality_code}`, () => casePrefixOf(outside, placement.municipality_code));
    const priority = input.priority ?? service.default_priority;
    const reporter = input.reporter;
    const person = reporter && (reporter.name || email || reporter.phone || reporter.device_id || reporter.account_id)
      ? {
          organisation_id: decision.provider_organisation_id,
          name: reporter.name?.trim() || null,
          email,
          phone: reporter.phone?.trim() || null,
          device_id: reporter.device_id?.trim() || null,
          account_id: reporter.account_id?.trim() || null,
          locale: reporter.locale ?? 'sv',
        }
      : null;
    const asReceived = {
      service_code: service.service_code, description, title, attributes, location, channel: input.channel,
      media_url: input.media_url ?? null, received_at: new Date().toISOString(),
    };
    const actor = input.actor ?? null;
    const intake: PreparedIntake = {
      prefix,
      year: stockholmYear(requestedAt),
      values: {
        organisation_id: decision.provider_organisation_id,
        unit_id: decision.unit_id,
        municipality_code: placement.municipality_code,
        service_id: service.id,
        status: 'submitted',
        priority,
        channel: input.channel,
        title,
        description,
        lat: location.lat,
        lon: location.lon,
        address: location.address,
        postal_code: location.postal_code,
        asset_id: input.asset_id ?? null,
        attributes: JSON.stringify(attributes),
        media_url: input.media_url ?? null,
        responsibility_id: decision.responsibility_id,
        routing: JSON.stringify(decision),
        confidential: input.confidential ?? false,
        sla_due_at: dueAtFor(service.sla_tiers, priority, requestedAt),
        requested_at: requestedAt,
        updated_at: requestedAt,
        external_source: input.external?.source ?? null,
        external_id: input.external?.id ?? null,
        api_key_id: input.api_key_id ?? null,
        follow_token: newFollowToken(),
        as_received: JSON.stringify(asReceived),
      },
      reporter: person,
      photos: input.photos ?? [],
      events: [{
        kind: 'created', visibility: 'public', status_after: 'submitted', created_at: requestedAt,
        body: null, data: { channel: input.channel },
        actor_user_id: actor?.user_id ?? null, actor_organisation_id: actor?.organisation_id ?? null, actor_label: actor?.label ?? null,
      }, {
        kind: 'routed', visibility: 'internal', created_at: requestedAt,
        body: decision.explanation_sv, data: { decision },
      }],
      decision,
      service,
      reference,
      inContext: callerContext(),
    };
    // Most intakes join the group commit; one inside the caller's transaction, or one closed at once with an
    // answer, is stored on its own (the same statements for a batch of one).
    if (!outerTrx && answer === null) return this.intakes.submit(intake);
    await takeNumbers(outside, [intake]);
    const storeAlone = async (trx: Kysely<Database>) => {
      const [created] = await storeIntakes(trx, [intake]);
      if (answer === null) return created;
      const closed = await this.mutateIn(trx, created.case.id, { actor, at: requestedAt }, async (_trx, k, at) => {
        const change = statusChange(k, 'closed', at, answer);
        return { ...change, set: { ...change.set, resolved_at_first_contact: true } };
      });
      return { ...created, case: closed };
    };
    return outerTrx ? withWriteBatch(outerTrx, () => storeAlone(outerTrx)) : this.db.transaction().execute((trx) => withWriteBatch(trx, () => storeAlone(trx)));
  }

  /** Stores a group of intakes in one transaction (the group commit's writer). */
  private async storeGroup(intakes: PreparedIntake[]): Promise<CreatedCase[]> {
    await takeNumbers(this.db, intakes);
    return this.db.transaction().execute((trx) => withWriteBatch(trx, () => storeIntakes(trx, intakes)));
  }

  /** Appends an event to a case inside a transaction and runs the effects registered for it. */
  async append(trx: Kysely<Database>, kase: Case, event: Omit<NewEvent, 'case_id' | 'organisation_id'>, env: EffectEnv = {}): Promise<CaseEvent> {
    return (await this.appendAll(trx, kase, [event], env))[0];
  }

  /** Appends events in one statement, then runs the effects of each in order. */
  async appendAll(trx: Kysely<Database>, kase: Case, events: Omit<NewEvent, 'case_id' | 'organisation_id'>[], env: EffectEnv = {}): Promise<CaseEvent[]> {
    if (events.length === 0) return [];
    const appended = await appendEvents(trx, events.map((event) => ({ ...event, case_id: kase.id, organisation_id: kase.organisation_id })));
    for (const event of appended) await runCaseEffects(trx, kase, event, env);
    return appended;
  }

  /**
   * Moves a case to another state if the transition table allows it. `expectedVersion` guards against
   * two people editing at once: a stale version is refused with who changed it.
   */
  async changeStatus(
    caseId: number,
    to: CaseStatus,
    opts: MutateOptions & { publicNote?: string | null; external_update_id?: string } = {},
  ): Promise<Case> {
    return this.mutate(caseId, opts, async (_trx, kase, at) => {
      const change = statusChange(kase, to, at, opts.publicNote ?? null);
      if (opts.external_update_id) change.events[0].external_update_id = opts.external_update_id;
      return change;
    });
  }

  /** Runs one change to a case in its own transaction (see mutateIn). */
  async mutate(caseId: number, opts: MutateOptions, change: ChangeFn): Promise<Case> {
    return this.db.transaction().execute((trx) => withWriteBatch(trx, () => this.mutateIn(trx, caseId, opts, change)));
  }

  /**
   * The one shape of every change: lock the case (within the caller's scope, else 404), check the
   * expected version (else "changed by X, reload"), let `change` compute the new columns and events,
   * bump the version, append the events with the actor and run their effects.
   */
  async mutateIn(trx: Kysely<Database>, caseId: number, opts: MutateOptions, change: ChangeFn): Promise<Case> {
    const kase = await lockCase(trx, caseId, opts.scope ?? null);
    if (!kase) throw notFound('case', caseId);
    if (opts.expectedVersion !== undefined && opts.expectedVersion !== kase.version) throw await staleVersion(trx, kase);
    const at = opts.at ?? new Date();
    const { set, events, after } = await change(trx, kase, at);
    const updated = await trx
      .updateTable('cases')
      .set({ ...set, updated_at: at, version: kase.version + 1 })
      .where('id', '=', kase.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const actor = opts.actor ?? null;
    const appended = await this.appendAll(trx, updated, events.map((event) => ({
      actor_user_id: actor?.user_id ?? null, actor_organisation_id: actor?.organisation_id ?? null, actor_label: actor?.label ?? null,
      created_at: at, ...event,
    })));
    if (after) await after(trx, updated, appended);
    return updated;
  }
}

/** How a change is made: who, in whose scope, against which version, when. */
export interface MutateOptions {
  actor?: CaseActor | null;
  scope?: CaseScope | null;
  expectedVersion?: number;
  at?: Date;
}

/** The new columns and the events of one change. */
export interface CaseChange {
  set?: CaseUpdate;
  events: Omit<NewEvent, 'case_id' | 'organisation_id'>[];
  /** Runs last in the same transaction with the appended events (e.g. to link an attachment to its event). */
  after?: (trx: Kysely<Database>, updated: Case, events: CaseEvent[]) => Promise<void>;
}

export type ChangeFn = (trx: Kysely<Database>, kase: Case, at: Date) => Promise<CaseChange>;

/** The change that moves a case to another state; refuses what the transition table forbids. */
export function statusChange(kase: Case, to: CaseStatus, at: Date, publicNote: string | null): CaseChange {
  if (!canTransition(kase.status, to)) {
    throw new AppError({ status: 409, code: 'invalid_transition', field: 'status',
      message: `status: cannot go from "${STATUS_LABELS[kase.status].en}" to "${STATUS_LABELS[to].en}"`,
      message_sv: `status: kan inte gå från "${STATUS_LABELS[kase.status].sv}" till "${STATUS_LABELS[to].sv}"` });
  }
  const closing = OPEN311_STATUS[to] === 'closed';
  return {
    set: {
      status: to,
      closed_at: closing ? (kase.closed_at ?? at) : null,
      reopen_count: to === 'reopened' ? kase.reopen_count + 1 : kase.reopen_count,
    },
    events: [{ kind: 'status_changed', visibility: 'public', status_after: to, body: publicNote, data: { before: kase.status, after: to } }],
  };
}

/** The "changed by X, reload" error for optimistic locking. */
export async function staleVersion(trx: Kysely<Database>, kase: Case): Promise<AppError> {
  const last = await trx
    .selectFrom('case_events')
    .leftJoin('users', 'users.id', 'case_events.actor_user_id')
    .select(['users.display_name', 'case_events.actor_label', 'case_events.created_at'])
    .where('case_events.case_id', '=', kase.id)
    .orderBy('case_events.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const who = last?.display_name ?? last?.actor_label ?? 'someone else';
  return new AppError({
    status: 409, code: 'stale_version',
    message: `This case was changed by ${who} meanwhile; reload it and try again`,
    message_sv: `Ärendet har ändrats av ${who} under tiden; ladda om och försök igen`,
    details: { current_version: kase.version, changed_by: who },
  });
}
