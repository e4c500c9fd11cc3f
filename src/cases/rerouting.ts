import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Case, CaseEvent, Database, RoutingDecision } from '../db/types.js';
import { findServiceByCode, findServiceById } from '../catalogue/repo.js';
import { normaliseLocation, type LocationInput, type NormalisedLocation } from '../routing/location.js';
import type { RoutingService } from '../routing/service.js';
import { enqueue } from '../outbox/service.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { dueAtFor, type CaseChange, type CaseService } from './service.js';
import { actorOf, readScopeSql, type StaffActor } from './scope.js';
import { OPEN311_STATUS } from './states.js';

/**
 * Re-routing and forwarding move a case to another body. The body it leaves keeps read access through
 * a `case_access` row (reason 'forwarded' or 'rerouted'), so the whole history stays visible to both;
 * for that body the case counts as "not ours – forwarded". Only the current owner may change the case.
 */

/** Outbox kinds written when a case arrives at another body (payload: case_id, public_id, from/to organisation, reason). */
export const CASE_FORWARDED = 'case.forwarded';
export const CASE_REROUTED = 'case.rerouted';

/**
 * Staff read scoping that honours forwarding: the owner, or an organisation the case was forwarded or
 * re-routed away from. Use it for reads (queue "forwarded by us", case page, timeline); changes keep
 * using the owner-only scope.
 */
export function visibleCaseSql(organisationId: number): RawBuilder<SqlBool> {
  return readScopeSql({ organisationId, role: 'handler' });
}

export interface RerouteInput {
  service_code?: string | null;
  location?: LocationInput | null;
  note?: string | null;
}

export interface ForwardInput {
  organisation_id: number;
  unit_id?: number | null;
  reason: string;
}

export interface ChangeOptions {
  staff: StaffActor;
  expectedVersion?: number;
  at?: Date;
}

function refuseClosed(kase: Case): void {
  if (OPEN311_STATUS[kase.status] === 'closed') {
    throw new AppError({ status: 409, code: 'case_closed', field: 'status', message: 'status: reopen the case before moving it to another body', message_sv: 'status: återöppna ärendet innan det flyttas till någon annan' });
  }
}

function locationOf(kase: Case): NormalisedLocation {
  return { lat: kase.lat, lon: kase.lon, address: kase.address, postal_code: kase.postal_code, municipality_code: kase.municipality_code };
}

/** Re-routes cases whose category or place changed, and forwards cases to another body by hand. */
export class CaseRerouting {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly routing: RoutingService,
    private readonly cases: CaseService,
  ) {}

  /**
   * Changes a case's service and/or location and routes it again in one transaction: the new decision
   * is stored, an internal 'rerouted' event keeps before and after, and if the body changes the case
   * moves (organisation, unit; assignee and contractor cleared) and the old body keeps read access.
   */
  async reroute(caseId: number, input: RerouteInput, opts: ChangeOptions): Promise<{ case: Case; decision: RoutingDecision; moved: boolean }> {
    const serviceCode = input.service_code?.trim() || null;
    const newLocation = input.location ? normaliseLocation(input.location) : null;
    if (!serviceCode && !newLocation) throw badInput('service_code', 'give a new service_code or location', 'ange en ny kategori eller plats');
    const note = input.note?.trim() || null;
    if (note && note.length > 2000) throw badInput('note', 'must be at most 2000 characters', 'får vara högst 2000 tecken');
    let decision!: RoutingDecision;
    let moved = false;
    const updated = await this.cases.mutate(caseId, { actor: actorOf(opts.staff), scope: opts.staff, expectedVersion: opts.expectedVersion, at: opts.at }, async (trx, kase, at) => {
      refuseClosed(kase);
      const service = serviceCode ? await findServiceByCode(trx, serviceCode) : await findServiceById(trx, kase.service_id);
      if (!service || !service.active) {
        throw new AppError({ status: 400, code: 'unknown_service', field: 'service_code', message: `service_code: "${serviceCode}" is not a known service`, message_sv: `service_code: "${serviceCode}" är ingen känd kategori` });
      }
      const location = newLocation ?? locationOf(kase);
      decision = await this.routing.decide(await this.routing.place(location, trx), service, at, trx);
      moved = decision.provider_organisation_id !== kase.organisation_id;
      const before = { service_id: kase.service_id, lat: kase.lat, lon: kase.lon, address: kase.address, municipality_code: kase.municipality_code, decision: kase.routing };
      const after = { service_id: service.id, lat: location.lat, lon: location.lon, address: location.address, municipality_code: decision.municipality_code, decision };
      const change: CaseChange = {
        set: {
          service_id: service.id,
          lat: location.lat,
          lon: location.lon,
          address: location.address,
          postal_code: location.postal_code,
          municipality_code: decision.municipality_code,
          organisation_id: decision.provider_organisation_id,
          unit_id: decision.unit_id,
          responsibility_id: decision.responsibility_id,
          routing: JSON.stringify(decision),
          ...(service.id !== kase.service_id ? { sla_due_at: dueAtFor(service.sla_tiers, kase.priority, kase.requested_at) } : {}),
          ...(moved ? { assignee_user_id: null, contractor_organisation_id: null } : {}),
        },
        events: [{ kind: 'rerouted', visibility: 'internal', body: note ?? decision.explanation_sv, data: { before, after, note } }],
        after: moved ? (t, c, events) => this.handOver(t, kase, c, events[0], 'rerouted', note) : undefined,
      };
      return change;
    });
    return { case: updated, decision, moved };
  }

  /**
   * Forwards a case to another body with a reason ("not ours"): the case moves to that body's
   * default unit (or the unit given) with a manual routing decision, the old body keeps read access,
   * and the new body is notified through the outbox.
   */
  async forward(caseId: number, input: ForwardInput, opts: ChangeOptions): Promise<Case> {
    const reason = input.reason?.trim() ?? '';
    if (reason.length < 3 || reason.length > 2000) throw badInput('reason', 'must be 3–2000 characters: why the case is not ours', 'ska vara 3–2000 tecken: varför ärendet inte är vårt');
    return this.cases.mutate(caseId, { actor: actorOf(opts.staff), scope: opts.staff, expectedVersion: opts.expectedVersion, at: opts.at }, async (trx, kase, at) => {
      refuseClosed(kase);
      const orgs = await trx.selectFrom('organisations').select(['id', 'kind', 'name_sv', 'name_en']).where('id', 'in', [input.organisation_id, kase.organisation_id]).execute();
      const to = orgs.find((o) => o.id === input.organisation_id);
      const from = orgs.find((o) => o.id === kase.organisation_id)!;
      if (!to) throw badInput('organisation_id', `${input.organisation_id} is not an organisation in Ingång`, `${input.organisation_id} är ingen organisation i Ingång`);
      if (to.id === kase.organisation_id) throw badInput('organisation_id', 'the case is already with that organisation', 'ärendet ligger redan hos den organisationen');
      if (to.kind === 'contractor') throw badInput('organisation_id', 'a contractor gets work orders, not cases; assign the contractor instead', 'en entreprenör får arbetsordrar, inte ärenden; tilldela entreprenören i stället');
      const unit = await trx.selectFrom('units').select('id').where('organisation_id', '=', to.id)
        .$call((q) => (input.unit_id ? q.where('id', '=', input.unit_id) : q.where('is_default', '=', true))).executeTakeFirst();
      if (input.unit_id && !unit) throw badInput('unit_id', `is not a unit of ${to.name_en}`, `är ingen enhet hos ${to.name_sv}`);
      const decision: RoutingDecision = {
        responsibility_id: null,
        provider_organisation_id: to.id,
        unit_id: unit?.id ?? null,
        area_id: null,
        area_kind: null,
        municipality_code: kase.municipality_code,
        located_by: 'manual',
        kind: 'manual',
        reference: null,
        explanation_sv: `Vidarebefordrat av ${from.name_sv} till ${to.name_sv}: ${reason}`,
        explanation_en: `Forwarded by ${from.name_en} to ${to.name_en}: ${reason}`,
        decided_at: at.toISOString(),
      };
      return {
        set: {
          organisation_id: to.id, unit_id: decision.unit_id, responsibility_id: null, routing: JSON.stringify(decision),
          assignee_user_id: null, contractor_organisation_id: null,
        },
        events: [{
          kind: 'forwarded', visibility: 'internal', body: reason,
          data: { from_organisation_id: from.id, to_organisation_id: to.id, reason, before: kase.routing, after: decision },
        }],
        after: (t, c, events) => this.handOver(t, kase, c, events[0], 'forwarded', reason),
      };
    });
  }

  /** The old body keeps read access, rows keyed by organisation follow the case, and the new body hears of it. */
  private async handOver(trx: Kysely<Database>, before: Case, after: Case, event: CaseEvent, reason: 'forwarded' | 'rerouted', note: string | null): Promise<void> {
    await trx
      .insertInto('case_access')
      .values({ case_id: before.id, organisation_id: before.organisation_id, reason, event_id: event.id })
      .onConflict((oc) => oc.columns(['case_id', 'organisation_id']).doUpdateSet({ reason, event_id: event.id }))
      .execute();
    await trx.deleteFrom('case_access').where('case_id', '=', after.id).where('organisation_id', '=', after.organisation_id).execute();
    if (before.reporter_id !== null) await trx.updateTable('reporters').set({ organisation_id: after.organisation_id }).where('id', '=', before.reporter_id).execute();
    await trx.updateTable('attachments').set({ organisation_id: after.organisation_id }).where('case_id', '=', after.id).execute();
    await trx.updateTable('case_followers').set({ organisation_id: after.organisation_id }).where('case_id', '=', after.id).execute();
    await enqueue(trx, {
      kind: reason === 'forwarded' ? CASE_FORWARDED : CASE_REROUTED,
      organisation_id: after.organisation_id,
      payload: { case_id: after.id, public_id: after.public_id, from_organisation_id: before.organisation_id, to_organisation_id: after.organisation_id, reason: note },
      dedupe_key: `${reason}:${event.id}`,
    });
  }

  /** The routing decision and routing history of a case the organisation may see (owner or former owner). */
  async history(caseId: number, organisationId: number) {
    const kase = await this.db.selectFrom('cases').select(['id', 'public_id', 'organisation_id', 'routing', 'status', 'version']).where('id', '=', caseId).where(visibleCaseSql(organisationId)).executeTakeFirst();
    if (!kase) throw notFound('case', caseId);
    const events = await this.db
      .selectFrom('case_events')
      .select(['id', 'kind', 'body', 'data', 'organisation_id', 'actor_organisation_id', 'actor_label', 'created_at'])
      .where('case_id', '=', caseId)
      .where('kind', 'in', ['routed', 'rerouted', 'forwarded'])
      .orderBy('id')
      .execute();
    const access = await this.db.selectFrom('case_access').select(['organisation_id', 'reason', 'granted_at']).where('case_id', '=', caseId).orderBy('granted_at').execute();
    return {
      case_id: kase.id,
      public_id: kase.public_id,
      organisation_id: kase.organisation_id,
      status: kase.status,
      version: kase.version,
      owner: kase.organisation_id === organisationId,
      decision: kase.routing,
      history: events,
      former_owners: access,
    };
  }
}
