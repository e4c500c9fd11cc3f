import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/types.js';
import type { CaseService, CreatedCase, NewCaseInput } from '../cases/service.js';
import { DUPLICATE_RADIUS_M, findNearbyOpen, type NearbyCase } from '../cases/duplicates.js';
import { actorOf, type StaffActor } from '../cases/scope.js';
import { OPEN311_STATUS } from '../cases/states.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { resolveAssetForCase } from '../assets/service.js';

/** How far around the caller's place the contact centre looks for cases already reported. */
export const CALLER_RADIUS_M = 150;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A nearby case as the contact centre sees it, marked whether the agent's own organisation may open it. */
export type CallerNearbyCase = NearbyCase & { in_scope: boolean };

/**
 * Open cases near the caller's place from every body (the caller does not know who is responsible), with
 * only what the public case page shows; the same service first, then by distance. Confidential cases never.
 */
export async function nearbyForCaller(db: Kysely<Database>, staff: StaffActor, q: { lat: number; lon: number; service_code?: string; radius_m?: number }): Promise<CallerNearbyCase[]> {
  const rows = await findNearbyOpen(db, { lat: q.lat, lon: q.lon, radius_m: q.radius_m ?? CALLER_RADIUS_M, days: 90, scope: null, limit: 50 });
  const same = (r: NearbyCase) => r.service_code === q.service_code;
  return rows
    // Other services only right at the spot: the caller may be describing the same thing in other words.
    .filter((r) => !q.service_code || same(r) || r.distance_m <= DUPLICATE_RADIUS_M)
    .sort((a, b) => Number(same(b)) - Number(same(a)) || a.distance_m - b.distance_m)
    .slice(0, 10)
    .map((r) => ({ ...r, in_scope: r.organisation_id === staff.organisationId && staff.role !== 'contractor' }));
}

/**
 * Registers a caller's case (phone, e-mail, visit) through the one case service, with the agent as actor. A
 * caller who reads out the number on a pole or bin (`asset_code`) need not say where it is: the asset gives the
 * place, and its responsible contractor gets the case, as on the citizen map and in Open311.
 */
export async function registerForCaller(
  db: Kysely<Database>,
  cases: CaseService,
  staff: StaffActor,
  input: Omit<NewCaseInput, 'actor' | 'resolved_at_first_contact' | 'asset_id' | 'routing_override'> & {
    resolution?: string | null; resolved_at_first_contact?: boolean; asset_code?: string | null;
  },
): Promise<CreatedCase> {
  if (!['phone', 'email', 'visit'].includes(input.channel)) throw badInput('channel', 'must be phone, email or visit', 'ska vara phone, email eller visit');
  if (input.resolved_at_first_contact && !input.resolution?.trim()) {
    throw badInput('resolution', 'the answer given to the caller is required when resolved at first contact', 'svaret till den som ringde krävs när ärendet löses direkt');
  }
  const { resolution, resolved_at_first_contact: resolved, asset_code: assetCode, ...rest } = input;
  const lat = rest.location.lat == null ? null : Number(rest.location.lat);
  const lon = rest.location.lon == null ? null : Number(rest.location.lon);
  const asset = assetCode?.trim()
    ? await resolveAssetForCase(db, {
        code: assetCode, serviceCode: rest.service_code, field: 'asset_code',
        organisationHint: rest.location.municipality_code ?? staff.organisationId,
        lat: Number.isFinite(lat) ? lat : null, lon: Number.isFinite(lon) ? lon : null,
      })
    : null;
  return cases.createCase({
    ...rest,
    location: asset && lat === null && lon === null ? { ...rest.location, ...asset.location } : rest.location,
    asset_id: asset?.asset_id ?? null,
    routing_override: asset?.routing_override ?? null,
    actor: actorOf(staff),
    resolved_at_first_contact: resolved ? { answer: resolution ?? '' } : null,
  });
}

/**
 * "Already reported – add this caller as follower": the caller gets the public updates of an open case of
 * any body by e-mail. Only the follow is recorded on the case (the e-mail address stays out of the event).
 */
export async function addCallerAsFollower(db: Kysely<Database>, cases: CaseService, staff: StaffActor, caseId: number, input: { email: string; locale?: 'sv' | 'en' }): Promise<{ public_id: string; already: boolean }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw badInput('email', 'is not a valid e-mail address', 'är ingen giltig e-postadress');
  const target = await db.selectFrom('cases').select(['id', 'status', 'confidential', 'public_id']).where('id', '=', caseId).executeTakeFirst();
  if (!target || target.confidential) throw notFound('case', caseId);
  if (OPEN311_STATUS[target.status] === 'closed') {
    throw new AppError({ status: 409, code: 'case_closed', message: `${target.public_id} is already closed; register a new case`, message_sv: `${target.public_id} är redan avslutat; registrera ett nytt ärende` });
  }
  let already = false;
  await cases.mutate(caseId, { actor: actorOf(staff) }, async (trx, kase) => {
    const existing = await trx.selectFrom('case_followers').select('id').where('case_id', '=', kase.id).where('email', '=', email).executeTakeFirst();
    already = !!existing;
    if (!existing) {
      await trx.insertInto('case_followers').values({
        case_id: kase.id, organisation_id: kase.organisation_id, email, locale: input.locale ?? 'sv', token: crypto.randomBytes(18).toString('base64url'),
      }).execute();
    }
    return { events: already ? [] : [{ kind: 'follower_added', visibility: 'internal', body: null, data: { via: 'contact_centre', by_organisation_id: staff.organisationId } }] };
  });
  return { public_id: target.public_id, already };
}
