import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../app-context.js';
import type { Case, Database } from '../db/types.js';
import { findServiceById } from '../catalogue/repo.js';
import { dueAtFor, statusChange, type CaseChange } from '../cases/service.js';
import { canTransition, OPEN311_STATUS } from '../cases/states.js';
import { AppError, badInput } from '../shared/errors.js';
import { assetType } from '../assets/asset-types.js';
import { resolveAssetForCase, type ResolvedAsset } from '../assets/service.js';
import { noteApiKeyUsed, type ActiveApiKey } from '../apikeys/service.js';
import type { AlarmInput } from './schema.js';
import { clearSetsFixed, findAlarmForUpdate, insertAlarm, isOrganisationOfMunicipality, updateAlarm } from './repo.js';

type Severity = AlarmInput['severity'];

/** Severity → case priority, and so the SLA tier: critical and major are urgent (1), minor normal (2), a warning low (3). */
export const SEVERITY_PRIORITY: Record<Severity, 1 | 2 | 3> = { critical: 1, major: 1, minor: 2, warning: 3 };

/** The client application behind a request: its API key. */
export type AlarmClient = ActiveApiKey;

export interface AlarmResult {
  case_id: number;
  service_request_id: string;
  case_status: string;
  alarm_state: 'raised' | 'cleared';
  messages: number;
  created: boolean;
}

/**
 * Answers to a category's required questions that a machine cannot give: a cabinet alarm darkens a
 * whole street (several lights, "is_dark" yes), a single lamp does not; a pump alarm's severity
 * stands for how much water is out.
 */
function defaultAttributes(serviceCode: string, type: string | null, severity: Severity): Record<string, string> {
  if (serviceCode === 'street_light') return { is_dark: type === 'lighting_cabinet' ? 'yes' : 'no' };
  if (serviceCode === 'water_leak') return { severity: severity === 'critical' ? 'flooding' : severity === 'major' ? 'flowing' : 'drip' };
  return {};
}

function occurredAt(raw: string | undefined): Date {
  if (!raw) return new Date();
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw badInput('occurred_at', 'must be an ISO 8601 date and time', 'måste vara datum och tid (ISO 8601)');
  if (at.getTime() > Date.now() + 5 * 60_000) throw badInput('occurred_at', 'lies in the future', 'ligger i framtiden');
  return at;
}

function alarmEvent(input: AlarmInput, source: string, state: 'raised' | 'cleared', at: Date, asset: ResolvedAsset | null, message: number) {
  return {
    kind: state === 'cleared' ? 'alarm_cleared' : 'alarm',
    visibility: 'internal' as const,
    body: input.text?.trim() || null,
    data: {
      source, alarm_id: input.alarm_id, state, severity: input.severity, alarm_type: input.alarm_type,
      occurred_at: at.toISOString(), asset_code: asset?.code ?? null, message,
    },
  };
}

/**
 * One message from a machine. The first "raised" message of an alarm id opens a case through the one
 * case intake (channel 'alarm', priority from severity, routed like any case — an asset's responsible
 * organisation wins); later messages with the same id append an event to that case instead, and
 * "cleared" records the clearance (and marks the case fixed when the organisation has chosen so).
 * An advisory lock on the alarm key plus the unique key on alarms make parallel repeats one case.
 */
export async function receiveAlarm(ctx: AppContext, client: AlarmClient, input: AlarmInput): Promise<AlarmResult> {
  const org = client.organisation_id;
  if (org === null) {
    throw new AppError({ status: 403, code: 'key_not_scoped', message: 'Alarms need an API key scoped to an organisation (api-key create --organisation)',
      message_sv: 'Driftlarm kräver en API-nyckel knuten till en organisation' });
  }
  const source = input.source ?? 'default';
  const state = input.state ?? 'raised';
  const at = occurredAt(input.occurred_at);
  if ((input.lat === undefined) !== (input.long === undefined)) throw badInput(input.lat === undefined ? 'lat' : 'long', 'lat and long go together', 'lat och long hör ihop');
  const asset = input.asset_code
    ? await resolveAssetForCase(ctx.db, { code: input.asset_code, scopeOrganisationId: org, lat: input.lat, lon: input.long, serviceCode: input.service_code })
    : null;
  if (!asset && input.lat === undefined) throw badInput('asset_code', 'give asset_code or lat and long', 'ange asset_code eller lat och long', 'missing_field');
  const type = asset ? asset.type : null;
  const serviceCode = input.service_code ?? (type ? assetType(type)?.alarm_service_code : undefined);
  if (!serviceCode) throw badInput('service_code', 'is required when the alarm names no asset', 'krävs när larmet inte anger något objekt', 'missing_field');
  const actor = { user_id: null, organisation_id: org, label: `Driftlarm: ${client.name}` };
  const lockKey = `alarm:${org}:${source}:${input.alarm_id}`;

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`.execute(trx);
    const existing = await findAlarmForUpdate(trx, org, source, input.alarm_id);
    if (existing) {
      const messages = existing.messages + 1;
      const kase = await ctx.cases.mutateIn(trx, existing.case_id, { actor, at: new Date() }, async (t, k, now) =>
        repeatChange(t, k, now, { input, source, state, at, asset, messages, clearCloses: state === 'cleared' && (await clearSetsFixed(t, k.organisation_id)) }));
      await updateAlarm(trx, existing.id, { state, severity: input.severity, alarm_type: input.alarm_type, messages, cleared_at: state === 'cleared' ? at : null });
      return { kase, messages, created: false };
    }
    if (state === 'cleared') {
      throw new AppError({ status: 404, code: 'unknown_alarm', field: 'alarm_id',
        message: `alarm_id: no raised alarm "${input.alarm_id}" from source "${source}" to clear`, message_sv: `alarm_id: inget larm "${input.alarm_id}" att kvittera` });
    }
    const { case: kase, decision } = await ctx.cases.createCase({
      service_code: serviceCode,
      channel: 'alarm',
      location: asset ? asset.location : { lat: input.lat, lon: input.long },
      title: `Driftlarm: ${input.alarm_type}${asset ? ` – ${asset.code}` : ''}`,
      description: [`${input.alarm_type} (${input.severity})`, input.text?.trim()].filter(Boolean).join(': '),
      attributes: input.attributes ?? defaultAttributes(serviceCode, type, input.severity),
      priority: SEVERITY_PRIORITY[input.severity],
      requested_at: at,
      asset_id: asset?.asset_id ?? null,
      routing_override: asset?.routing_override ?? null,
      api_key_id: client.id,
      actor,
      field_names: { lat: 'lat', lon: 'long' },
    }, trx);
    if (!asset && decision.provider_organisation_id !== org && !(await isOrganisationOfMunicipality(trx, org, decision.municipality_code))) {
      throw new AppError({ status: 403, code: 'outside_scope', field: 'lat',
        message: 'lat/long: the place is neither in your municipality nor routed to your organisation', message_sv: 'lat/long: platsen ligger utanför er organisations ansvar' });
    }
    await insertAlarm(trx, {
      organisation_id: org, source, source_alarm_id: input.alarm_id, case_id: kase.id, asset_id: asset?.asset_id ?? null, api_key_id: client.id,
      alarm_type: input.alarm_type, severity: input.severity, state, first_received_at: new Date(), last_received_at: new Date(),
    });
    await ctx.cases.append(trx, kase, { ...alarmEvent(input, source, state, at, asset, 1), ...actorColumns(actor) });
    return { kase, messages: 1, created: true };
  });
  await noteApiKeyUsed(ctx.db, client);
  return {
    case_id: outcome.kase.id, service_request_id: outcome.kase.public_id, case_status: outcome.kase.status,
    alarm_state: state, messages: outcome.messages, created: outcome.created,
  };
}

function actorColumns(actor: { user_id: null; organisation_id: number; label: string }) {
  return { actor_user_id: actor.user_id, actor_organisation_id: actor.organisation_id, actor_label: actor.label };
}

/**
 * A repeat on an existing case: always an alarm event; a higher severity raises the priority (and so
 * the SLA due time); "cleared" may mark it fixed; "raised" again on a closed case reopens it.
 */
async function repeatChange(
  trx: Kysely<Database>, k: Case, now: Date,
  m: { input: AlarmInput; source: string; state: 'raised' | 'cleared'; at: Date; asset: ResolvedAsset | null; messages: number; clearCloses: boolean },
): Promise<CaseChange> {
  const change: CaseChange = { set: {}, events: [alarmEvent(m.input, m.source, m.state, m.at, m.asset, m.messages)] };
  const priority = SEVERITY_PRIORITY[m.input.severity];
  const open = OPEN311_STATUS[k.status] === 'open';
  if (m.state === 'raised' && open && priority < k.priority) {
    const service = await findServiceById(trx, k.service_id);
    change.set = { priority, sla_due_at: service ? dueAtFor(service.sla_tiers, priority, k.requested_at) : k.sla_due_at };
    change.events.push({ kind: 'reprioritised', visibility: 'internal', body: null, data: { before: k.priority, after: priority, reason: 'alarm severity' } });
  }
  const to = m.state === 'cleared' ? (m.clearCloses && open ? 'fixed' : null) : (!open ? 'reopened' : null);
  if (to && canTransition(k.status, to)) {
    const moved = statusChange(k, to, now, to === 'fixed' ? 'Larmet har kvitterats av övervakningssystemet.' : 'Larmet har lösts ut igen.');
    change.set = { ...change.set, ...moved.set };
    change.events.push(...moved.events);
  }
  return change;
}
