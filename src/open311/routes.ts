import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { findActiveApiKey, type ActiveApiKey } from '../apikeys/service.js';
import type { ReferenceView } from '../shared/reference-cache.js';
import { assetIdsMatching, assetLabels } from '../assets/service.js';
import { findServiceByCode } from '../catalogue/repo.js';
import { swedishDate } from '../routing/service.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { toAppError } from '../shared/error-handler.js';
import { FORMATS, formatOfUrl, open311Body, sendErrors, sendOpen311, sendOpen311Body, type Format } from './format.js';
import { dateParam, jurisdictionParam, listParam, MAX_ROWS, requestQueryOf, text, type Fields, DEFAULT_WINDOW_DAYS } from './params.js';
import { localeOf, presentDefinition, presentRequest, presentService, presentUpdate } from './presenter.js';
import { findCaseByFollowToken, listPublicNotes, listPublicUpdates, listRequests, listServicesOffered, requestsFingerprint, type RequestQuery } from './repo.js';
import { PageCache } from './page-cache.js';
import { answerFor, createdAnswer, createOpen311Request, recordOpen311Update, requireJurisdiction } from './service.js';
import { discoveryDocument } from './discovery.js';
import { sendIdempotent } from '../idempotency/index.js';
import { POST_REQUEST_BODY, POST_UPDATE_BODY, REQUESTS_QUERY, COMMON_QUERY, UPDATES_QUERY } from './schema.js';

declare module 'fastify' {
  interface FastifyRequest {
    open311Key: ActiveApiKey | null;
    /** The reference data as the key check read it: the request's intake reads through it, not again. */
    open311Reference: ReferenceView | null;
  }
}

/** Requests per minute for a client without a key (reads only), per IP address. */
const ANONYMOUS_LIMIT_PER_MINUTE = 300;

/** Query and body fields together, values as strings (JSON numbers and booleans too); the body wins. */
export function fieldsOf(request: FastifyRequest): Fields {
  const out: Fields = {};
  const take = (source: unknown) => {
    if (!source || typeof source !== 'object') return;
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
      if (v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v))) continue;
      out[k] = Array.isArray(v) ? v.map((x) => String(x)) : String(v);
    }
  };
  take(request.query);
  take(request.body);
  return out;
}

/** Form bodies with literal keys: `attribute[pole_no]` stays one key; repeated keys become lists. */
function parseForm(body: string): Fields {
  const out: Fields = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const prev = out[key];
    out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}

/** Spec-form errors: 400, 403, 404 and 429 as they are, anything else the client did wrong as 400 with its own code. */
function renderError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const format = formatOfUrl(request.url);
  const appError = toAppError(error);
  if (!appError) {
    request.log.error({ err: error }, 'open311: unhandled error');
    return sendErrors(reply, format, 500, [{ code: 500, description: 'Internal error; it has been logged' }]);
  }
  const status = [400, 403, 404, 409, 422, 429].includes(appError.status) ? appError.status : 400;
  const locale = (request.query as Record<string, unknown> | undefined)?.locale;
  const description = locale !== undefined && localeOf(locale) === 'sv' ? appError.message_sv : appError.message;
  return sendErrors(reply, format, status, [{ code: appError.status, description }]);
}

function requireKey(request: FastifyRequest): ActiveApiKey {
  if (!request.open311Key) {
    throw new AppError({ status: 403, code: 'api_key_required', field: 'api_key',
      message: 'api_key: is required to write; ask the operator for a key', message_sv: 'api_key: krävs för att skicka in; be driftansvarig om en nyckel' });
  }
  return request.open311Key;
}

async function jurisdictionOrNull(request: FastifyRequest): Promise<string | null> {
  const code = jurisdictionParam(fieldsOf(request));
  return code ? requireJurisdiction(request.server.ctx, code) : null;
}

async function serviceIdsOf(request: FastifyRequest, codes: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const code of codes) {
    const service = await findServiceByCode(request.server.ctx.db, code);
    if (!service) throw badInput('service_code', `"${code}" is not a known service`, `"${code}" är ingen känd kategori`);
    ids.push(service.id);
  }
  return ids;
}

/** `extensions=true` (anything but false): the CitySDK/common fields on each request. */
function wantsExtensions(request: FastifyRequest): boolean {
  const value = text(fieldsOf(request), 'extensions');
  return value !== undefined && value !== 'false';
}

async function requestsFor(request: FastifyRequest, query: RequestQuery) {
  const db = request.server.ctx.db;
  const rows = await listRequests(db, query, localeOf(text(fieldsOf(request), 'locale')));
  if (!wantsExtensions(request)) return rows.map((row) => presentRequest(row, null));
  const notes = new Map<number, Awaited<ReturnType<typeof listPublicNotes>>>();
  for (const note of await listPublicNotes(db, rows.map((r) => r.id))) {
    const list = notes.get(note.case_id);
    if (list) list.push(note);
    else notes.set(note.case_id, [note]);
  }
  const assets = await assetLabels(db, rows.flatMap((r) => (r.asset_id ? [r.asset_id] : [])));
  return rows.map((row) => {
    const asset = row.asset_id ? assets.get(row.asset_id) : undefined;
    return { ...presentRequest(row, { notes: notes.get(row.id) ?? [] }), service_object_id: asset?.code ?? null, service_object_type: asset?.type ?? null };
  });
}

/** Rendered request lists of this process, up to 32 MB (see page-cache.ts). */
const PAGE_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * A request list as bytes: reused from the cache while the rows' fingerprint is unchanged. Lists with
 * extensions (notes, assets) are rendered every time; the fingerprint does not cover them.
 */
async function requestsPage(request: FastifyRequest, format: Format, query: RequestQuery, pages: PageCache): Promise<Buffer> {
  const render = async () => open311Body(format, 'service_requests', await requestsFor(request, query));
  if (wantsExtensions(request)) return render();
  const key = `${format} ${localeOf(text(fieldsOf(request), 'locale'))} ${await requestsFingerprint(request.server.ctx.db, query)}`;
  let page = pages.get(key);
  if (!page) {
    page = await render();
    pages.set(key, page);
  }
  return page;
}

/** Open311 GeoReport v2 under /open311/v2/: every resource as .xml and .json, errors in the spec's form. */
export async function open311Routes(app: FastifyInstance): Promise<void> {
  await app.register(
    async (api) => {
      api.removeContentTypeParser('application/x-www-form-urlencoded');
      api.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, parseForm(String(body))));
      api.setErrorHandler(renderError);
      const unknownResource = (request: FastifyRequest, reply: FastifyReply) =>
        sendErrors(reply, formatOfUrl(request.url), 404, [{ code: 404, description: `No Open311 resource ${request.method} ${request.url.split('?')[0]}` }]);
      api.setNotFoundHandler(unknownResource);
      // The web module serves static files under a root wildcard; this one keeps unknown Open311 paths in spec form.
      api.route({ method: ['GET', 'POST'], url: '/*', schema: { hide: true }, handler: unknownResource });
      api.decorateRequest('open311Key', null);
      api.decorateRequest('open311Reference', null);
      const limiter = api.createRateLimit({
        timeWindow: 60_000,
        keyGenerator: (request: FastifyRequest) => (request.open311Key ? `open311-key:${request.open311Key.id}` : `open311-ip:${request.ip}`),
        max: async (request: FastifyRequest) => request.open311Key?.rate_limit_per_minute ?? ANONYMOUS_LIMIT_PER_MINUTE,
      });
      api.addHook('preHandler', async (request, reply) => {
        const presented = text(fieldsOf(request), 'api_key');
        if (presented) {
          const ctx = request.server.ctx;
          request.open311Reference = await ctx.reference.current(ctx.db);
          const key = await findActiveApiKey(ctx.db, presented, request.open311Reference);
          if (!key) throw new AppError({ status: 403, code: 'invalid_api_key', field: 'api_key', message: 'api_key: unknown or revoked key', message_sv: 'api_key: okänd eller återkallad nyckel' });
          request.open311Key = key;
        }
        const limit = await limiter(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(limit.ttlInSeconds));
          throw new AppError({ status: 429, code: 'rate_limited', field: 'api_key',
            message: `api_key: more than ${limit.max} requests a minute; retry in ${limit.ttlInSeconds} s`, message_sv: `api_key: fler än ${limit.max} anrop i minuten; försök igen om ${limit.ttlInSeconds} s` });
        }
      });

      const pages = new PageCache(PAGE_CACHE_BYTES);
      for (const format of FORMATS) registerResources(api, format, pages);
    },
    { prefix: '/open311/v2' },
  );
}

function registerResources(api: FastifyInstance, format: Format, pages: PageCache): void {
  const tags = ['Open311'];
  const ctx = () => api.ctx;

  api.get(`/discovery.${format}`, { schema: { tags, summary: `Service discovery (${format})` } }, async (_request, reply) =>
    sendOpen311(reply, format, 'discovery', discoveryDocument(ctx().config.publicBaseUrl)));

  api.get(`/services.${format}`, { schema: { tags, summary: `Services offered in a municipality (${format})`, querystring: COMMON_QUERY } }, async (request, reply) => {
    const jurisdiction = await jurisdictionOrNull(request);
    const locale = localeOf(text(fieldsOf(request), 'locale'));
    const services = await listServicesOffered(ctx().db, jurisdiction, swedishDate());
    return sendOpen311(reply, format, 'services', services.map((s) => presentService(s, locale)));
  });

  api.get(`/services/:service_code.${format}`, {
    schema: { tags, summary: `Service definition: the questions of a service (${format})`, querystring: COMMON_QUERY, params: Type.Object({ service_code: Type.String() }) },
  }, async (request, reply) => {
    const jurisdiction = await jurisdictionOrNull(request);
    const { service_code } = request.params as { service_code: string };
    const offered = await listServicesOffered(ctx().db, jurisdiction, swedishDate());
    const service = offered.find((s) => s.service_code === service_code);
    if (!service) throw notFound(`service_code ${service_code}${jurisdiction ? ` in jurisdiction_id ${jurisdiction}` : ''}`);
    return sendOpen311(reply, format, 'service_definition', presentDefinition(service.service_code, service.attributes, localeOf(text(fieldsOf(request), 'locale'))));
  });

  api.get(`/requests.${format}`, { schema: { tags, summary: `Search requests (${format}); no personal data`, querystring: REQUESTS_QUERY } }, async (request, reply) => {
    const jurisdiction = await jurisdictionOrNull(request);
    const { serviceCodes, ...query } = requestQueryOf(fieldsOf(request), jurisdiction);
    const serviceIds = serviceCodes ? await serviceIdsOf(request, serviceCodes) : undefined;
    const objectId = text(fieldsOf(request), 'service_object_id');
    const objectType = text(fieldsOf(request), 'service_object_type');
    const assetIds = objectId || objectType ? await assetIdsMatching(ctx().db, { code: objectId, type: objectType }) : undefined;
    return sendOpen311Body(reply, format, await requestsPage(request, format, { ...query, serviceIds, assetIds }, pages));
  });

  api.post(`/requests.${format}`, {
    schema: { tags, summary: `Create a request (${format}); form-encoded (or JSON), needs api_key`, body: POST_REQUEST_BODY, consumes: ['application/x-www-form-urlencoded', 'application/json'] },
  }, async (request, reply) => {
    const key = requireKey(request);
    const jsonAttributes = (request.body as Record<string, unknown> | undefined)?.attribute;
    const locale = localeOf(text(fieldsOf(request), 'locale'));
    return sendIdempotent(ctx().db, request, reply, {
      route: `open311.request:${key.id}`, fingerprint: { fields: fieldsOf(request), jsonAttributes },
      recover: async (caseId) => ({ status: 200, body: [await createdAnswer(ctx(), caseId, locale)] }),
      send: (r, answer) => sendOpen311(r, format, 'service_requests', answer.body, answer.status),
    }, async () => {
      const created = await createOpen311Request(ctx(), { fields: fieldsOf(request), key, jsonAttributes, reference: request.open311Reference });
      return { status: 200, body: [answerFor(created.case, locale)] };
    });
  });

  api.get(`/requests/:service_request_id.${format}`, {
    schema: { tags, summary: `One request (${format}), still as a list`, querystring: COMMON_QUERY, params: Type.Object({ service_request_id: Type.String() }) },
  }, async (request, reply) => {
    const jurisdiction = await jurisdictionOrNull(request);
    const { service_request_id } = request.params as { service_request_id: string };
    const found = await requestsFor(request, { jurisdiction, publicIds: [service_request_id], limit: 1, offset: 0 });
    if (found.length === 0) throw notFound('service_request_id', service_request_id);
    return sendOpen311(reply, format, 'service_requests', found);
  });

  api.get(`/tokens/:token.${format}`, {
    schema: { tags, summary: `The request id of a token (${format})`, querystring: COMMON_QUERY, params: Type.Object({ token: Type.String() }) },
  }, async (request, reply) => {
    const jurisdiction = await jurisdictionOrNull(request);
    const { token } = request.params as { token: string };
    const kase = await findCaseByFollowToken(ctx().db, token);
    if (!kase || kase.confidential || (jurisdiction && kase.municipality_code !== jurisdiction)) throw notFound('token', token);
    return sendOpen311(reply, format, 'service_requests', [{ service_request_id: kase.public_id, token }]);
  });

  api.get(`/servicerequestupdates.${format}`, {
    schema: { tags, summary: `Public updates of requests (${format}; FixMyStreet extension)`, querystring: UPDATES_QUERY },
  }, async (request, reply) => {
    const jurisdiction = await jurisdictionOrNull(request);
    const fields = fieldsOf(request);
    const to = dateParam(fields, 'end_date') ?? new Date();
    const from = dateParam(fields, 'start_date') ?? new Date(to.getTime() - DEFAULT_WINDOW_DAYS * 86_400_000);
    if (from > to) throw badInput('end_date', 'must not be before start_date', 'får inte vara före start_date');
    const rows = await listPublicUpdates(ctx().db, { jurisdiction, from, to, limit: MAX_ROWS, publicIds: listParam(fields, 'service_request_id') });
    return sendOpen311(reply, format, 'service_request_updates', rows.map(presentUpdate));
  });

  api.post(`/servicerequestupdates.${format}`, {
    schema: { tags, summary: `Post an update to a request (${format}; FixMyStreet extension), needs api_key`, body: POST_UPDATE_BODY, consumes: ['application/x-www-form-urlencoded', 'application/json'] },
  }, async (request, reply) => {
    const key = requireKey(request);
    const recorded = await recordOpen311Update(ctx(), fieldsOf(request), key);
    return sendOpen311(reply, format, 'service_request_updates', [{ update_id: recorded.update_id }]);
  });
}
