import type { Kysely } from 'kysely';
import type { AppContext } from '../app-context.js';
import type { AttributeValues } from '../catalogue/attributes.js';
import type { Case, Database } from '../db/types.js';
import { lockCase } from '../cases/repo.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { dateParam, text, type Fields } from './params.js';
import { findCaseByPublicId, findEventByExternalId, listJurisdictionCodes } from './repo.js';
import { localeOf } from './presenter.js';
import { parseFmsStatus, targetState, FMS_STATUSES, type FmsStatus } from './statuses.js';
import { resolveAssetForCase } from '../assets/service.js';
import { noteApiKeyUsed, type ActiveApiKey } from '../apikeys/service.js';
import type { ReferenceView } from '../shared/reference-cache.js';

const ATTRIBUTE_KEY = /^attribute\[([^\]]+)\](\[\])?$/;
const HTTP_URL = /^https?:\/\/[^\s]+$/i;

/** `attribute[code]=v` and `attribute[code][]=v` (repeated) with literal keys; JSON may also send `attribute: {code: v}`. */
export function attributesOf(fields: Fields, jsonAttributes?: unknown): AttributeValues {
  const out: AttributeValues = {};
  const add = (code: string, value: unknown) => {
    const list = (Array.isArray(value) ? value : [value]).map((v) => String(v ?? ''));
    const prev = out[code];
    out[code] = prev === undefined ? (list.length === 1 ? list[0] : list) : [...(Array.isArray(prev) ? prev : [prev]), ...list];
  };
  for (const [key, value] of Object.entries(fields)) {
    const m = ATTRIBUTE_KEY.exec(key);
    if (m && value !== undefined) add(m[1], m[2] ? (Array.isArray(value) ? value : [value]) : value);
  }
  if (jsonAttributes && typeof jsonAttributes === 'object' && !Array.isArray(jsonAttributes)) {
    for (const [code, value] of Object.entries(jsonAttributes as Record<string, unknown>)) add(code, value);
  }
  return out;
}

// The kommunkoder, read once per database: municipalities are reference data, loaded at start-up and never
// removed, and every Open311 request names one (a query less per request).
const jurisdictions = new WeakMap<Kysely<Database>, Promise<Set<string>>>();

async function isJurisdiction(db: Kysely<Database>, code: string): Promise<boolean> {
  let codes = jurisdictions.get(db);
  if (!codes) {
    codes = listJurisdictionCodes(db).then((list) => new Set(list));
    codes.catch(() => jurisdictions.delete(db));
    jurisdictions.set(db, codes);
  }
  return (await codes).has(code);
}

/** A jurisdiction_id that must be given and known: 400 when missing, 404 when no such municipality. */
export async function requireJurisdiction(ctx: AppContext, code: string | undefined): Promise<string> {
  if (!code) throw badInput('jurisdiction_id', 'is required: the four-digit kommunkod, e.g. 1384', 'krävs: den fyrsiffriga kommunkoden, t.ex. 1384', 'missing_field');
  if (!(await isJurisdiction(ctx.db, code))) {
    throw new AppError({ status: 404, code: 'unknown_jurisdiction', field: 'jurisdiction_id',
      message: `jurisdiction_id: ${code} is not a Swedish municipality (kommunkod)`, message_sv: `jurisdiction_id: ${code} är ingen svensk kommun (kommunkod)` });
  }
  return code;
}

/**
 * POST requests: maps the GeoReport fields onto the one case intake (the same validation, routing and
 * transaction as every other channel), naming fields as the client sent them.
 */
export async function createOpen311Request(ctx: AppContext, { fields, key, jsonAttributes, reference }: {
  fields: Fields; key: ActiveApiKey; jsonAttributes?: unknown; reference?: ReferenceView | null;
}) {
  const jurisdiction = await requireJurisdiction(ctx, text(fields, 'jurisdiction_id'));
  const serviceCode = text(fields, 'service_code');
  if (!serviceCode) throw badInput('service_code', 'is required', 'krävs', 'missing_field');
  const lat = text(fields, 'lat');
  const lon = text(fields, 'long');
  const address = text(fields, 'address_string');
  const addressId = text(fields, 'address_id');
  const asset = await assetOf(ctx, fields, jsonAttributes, { jurisdiction, serviceCode, lat, lon });
  if (lat === undefined && lon === undefined && !address && !asset) {
    throw addressId
      ? badInput('address_id', 'Ingång has no address register; send lat and long or address_string', 'Ingång har inget adressregister; skicka lat och long eller address_string')
      : badInput('lat', 'a location is required: lat and long, address_string or address_id', 'en plats krävs: lat och long, address_string eller address_id', 'missing_field');
  }
  const mediaUrl = text(fields, 'media_url');
  if (mediaUrl && (!HTTP_URL.test(mediaUrl) || mediaUrl.length > 2000)) throw badInput('media_url', 'must be an http(s) URL', 'ska vara en http(s)-adress');
  const lastName = text(fields, 'last_name');
  const name = [text(fields, 'first_name'), lastName === '-' ? undefined : lastName].filter(Boolean).join(' ');
  const created = await ctx.cases.createCase({
    channel: 'open311',
    reference,
    api_key_id: key.id,
    jurisdiction_code: jurisdiction,
    service_code: serviceCode,
    location: lat === undefined && lon === undefined && asset ? { ...asset.location, address, municipality_code: jurisdiction } : { lat, lon, address, municipality_code: jurisdiction },
    asset_id: asset?.asset_id ?? null,
    routing_override: asset?.routing_override ?? null,
    description: text(fields, 'description') ?? null,
    title: text(fields, 'title') ?? null,
    attributes: withoutAssetCode(attributesOf(fields, jsonAttributes)),
    media_url: mediaUrl ?? null,
    reporter: {
      name: name || null,
      email: text(fields, 'email') ?? null,
      phone: text(fields, 'phone') ?? null,
      device_id: text(fields, 'device_id') ?? null,
      account_id: text(fields, 'account_id') ?? null,
      locale: localeOf(text(fields, 'locale')),
    },
    actor: { user_id: null, organisation_id: key.organisation_id, label: `Open311: ${key.name}` },
    field_names: { lat: 'lat', lon: 'long', address: 'address_string', postal_code: 'address_string', municipality_code: 'jurisdiction_id', description: 'description', service_code: 'service_code', email: 'email' },
  });
  await noteApiKeyUsed(ctx.db, key);
  return created;
}

/** The POST requests answer for a created case: its id and, as service_notice, who handles it and why. */
export function answerFor(kase: Pick<Case, 'public_id' | 'routing'>, locale: 'sv' | 'en') {
  return { service_request_id: kase.public_id, service_notice: locale === 'en' ? kase.routing.explanation_en : kase.routing.explanation_sv };
}

/** The answer for a case created earlier (a repeated Idempotency-Key). */
export async function createdAnswer(ctx: AppContext, caseId: number, locale: 'sv' | 'en') {
  return answerFor(await ctx.db.selectFrom('cases').select(['public_id', 'routing']).where('id', '=', caseId).executeTakeFirstOrThrow(), locale);
}

/**
 * The asset a request is about: `attribute[asset_code]` (FixMyStreet-style) or CitySDK
 * `service_object_id` (+ `service_object_type`). Its place fills a missing location and its
 * responsible organisation wins in routing (see src/assets).
 */
async function assetOf(ctx: AppContext, fields: Fields, jsonAttributes: unknown, at: { jurisdiction: string; serviceCode: string; lat?: string; lon?: string }) {
  const fromAttribute = attributesOf(fields, jsonAttributes).asset_code;
  const objectId = text(fields, 'service_object_id');
  const code = objectId ?? (Array.isArray(fromAttribute) ? fromAttribute[0] : fromAttribute)?.trim();
  if (!code) return null;
  const lat = at.lat === undefined ? null : Number(at.lat);
  const lon = at.lon === undefined ? null : Number(at.lon);
  return resolveAssetForCase(ctx.db, {
    code, type: text(fields, 'service_object_type') ?? null, organisationHint: at.jurisdiction, serviceCode: at.serviceCode,
    lat: Number.isFinite(lat) ? lat : null, lon: Number.isFinite(lon) ? lon : null, field: objectId ? 'service_object_id' : 'attribute[asset_code]',
  });
}

/** The asset code is not a question of the service; it has been taken as the case's asset. */
function withoutAssetCode(values: AttributeValues): AttributeValues {
  const { asset_code: _assetCode, ...rest } = values;
  return rest;
}

export interface RecordedUpdate {
  update_id: string;
  applied_status: string | null;
  /** False when the update_id was already recorded (a repeated delivery). */
  created: boolean;
}

/**
 * POST servicerequestupdates: a public event on the case, idempotent on the client's update_id. A status
 * that implies a change allowed by the transitions table moves the case; one the table forbids (e.g.
 * FIXED on a closed case) is still recorded as a public comment, without the change.
 */
export async function recordOpen311Update(ctx: AppContext, fields: Fields, key: ActiveApiKey): Promise<RecordedUpdate> {
  const publicId = text(fields, 'service_request_id');
  if (!publicId) throw badInput('service_request_id', 'is required', 'krävs', 'missing_field');
  const updateId = text(fields, 'update_id');
  if (!updateId) throw badInput('update_id', 'is required', 'krävs', 'missing_field');
  if (updateId.length > 100) throw badInput('update_id', 'must be at most 100 characters', 'får vara högst 100 tecken');
  const rawStatus = text(fields, 'status');
  if (!rawStatus) throw badInput('status', 'is required', 'krävs', 'missing_field');
  const status = parseFmsStatus(rawStatus);
  if (!status) throw badInput('status', `"${rawStatus}" is not one of ${FMS_STATUSES.join(', ')}`, `"${rawStatus}" är inte en av ${FMS_STATUSES.join(', ')}`);
  const updatedAt = dateParam(fields, 'updated_datetime');
  if (!updatedAt) throw badInput('updated_datetime', 'is required', 'krävs', 'missing_field');
  const description = (text(fields, 'description') ?? '').replace(/\r\n/g, '\n');
  if (description.length > 4000) throw badInput('description', 'must be at most 4000 characters', 'får vara högst 4000 tecken');
  if (/<\/?[a-z!][^>]*>/i.test(description)) throw badInput('description', 'must be plain text, without HTML', 'ska vara vanlig text utan HTML');
  const mediaUrl = text(fields, 'media_url');
  if (mediaUrl && !HTTP_URL.test(mediaUrl)) throw badInput('media_url', 'must be an http(s) URL', 'ska vara en http(s)-adress');

  const kase = await findCaseByPublicId(ctx.db, publicId);
  if (!kase) throw notFound('service_request_id', publicId);
  if (kase.api_key_id !== key.id && (key.organisation_id === null || key.organisation_id !== kase.organisation_id)) {
    throw new AppError({ status: 403, code: 'forbidden', field: 'api_key',
      message: `api_key: this key may not update ${publicId} (it neither created the request nor belongs to its organisation)`,
      message_sv: `api_key: nyckeln får inte uppdatera ${publicId}` });
  }
  const external = `${key.id}:${updateId}`;
  const actor = { user_id: null, organisation_id: key.organisation_id, label: `Open311: ${key.name}` };
  return applyExternalUpdate(ctx, kase.id, { externalId: external, status, description, mediaUrl: mediaUrl ?? null, updatedAt, actor });
}

/**
 * Records an update that came from outside (a client's POST, or a polled remote system) on a case,
 * changing its state when the status implies it and the transitions table allows it. Idempotent on externalId.
 */
export async function applyExternalUpdate(
  ctx: AppContext,
  caseId: number,
  u: { externalId: string; status: FmsStatus | null; description: string; mediaUrl: string | null; updatedAt: Date;
    actor: { user_id: null; organisation_id: number | null; label: string } },
): Promise<RecordedUpdate> {
  const existing = await findEventByExternalId(ctx.db, caseId, u.externalId);
  if (existing) return { update_id: String(existing.id), applied_status: null, created: false };
  try {
    const current = await ctx.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirst();
    if (!current) throw notFound('service_request_id', caseId);
    const target = u.status ? targetState(u.status, current.status) : null;
    if (target) {
      try {
        await ctx.cases.changeStatus(caseId, target, { actor: u.actor, publicNote: u.description || null, external_update_id: u.externalId });
        const event = await findEventByExternalId(ctx.db, caseId, u.externalId);
        return { update_id: String(event!.id), applied_status: target, created: true };
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'invalid_transition')) throw error;
      }
    }
    return await ctx.db.transaction().execute(async (trx) => {
      const kase = await lockCase(trx, caseId);
      if (!kase) throw notFound('service_request_id', caseId);
      const event = await ctx.cases.append(trx, kase, {
        kind: 'comment', visibility: 'public', body: u.description || null, external_update_id: u.externalId,
        data: { open311_status: u.status, requested_state: target, media_url: u.mediaUrl, remote_updated_datetime: u.updatedAt.toISOString() },
        actor_user_id: null, actor_organisation_id: u.actor.organisation_id, actor_label: u.actor.label,
      });
      return { update_id: String(event.id), applied_status: null, created: true };
    });
  } catch (error) {
    // Two deliveries of the same update at once: the unique index (case_id, external_update_id) lets one win.
    if ((error as { code?: string }).code === '23505') {
      const existing = await findEventByExternalId(ctx.db, caseId, u.externalId);
      if (existing) return { update_id: String(existing.id), applied_status: null, created: false };
    }
    throw error;
  }
}
