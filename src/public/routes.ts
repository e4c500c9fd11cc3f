import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { MAX_UPLOAD_BYTES, readStored } from '../attachments/store.js';
import { AppError, badInput, notFound } from '../shared/errors.js';
import { installCaseEmails } from '../notify/effects.js';
import '../notify/mailer.js';
import { countyBoundaries, findMunicipality, geocode, listMunicipalities, municipalityBoundary } from './places.js';
import { idempotencyKeyOf, sendIdempotent } from '../idempotency/index.js';
import { findPublicPhoto } from './repo.js';
import { MAX_PHOTOS, PublicService, type ReportFields } from './service.js';

const FIELD_NAMES = ['service_code', 'description', 'lat', 'lon', 'address', 'postal_code', 'municipality_code', 'asset_code', 'name', 'email', 'phone', 'locale'] as const;
const ATTRIBUTE = /^attribute\[([a-z0-9_]{1,64})\]$/;
const CaseNumber = Type.String({ minLength: 3, maxLength: 40, pattern: '^[A-Z0-9-]+$' });
const Token = Type.String({ minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

function addField(fields: ReportFields, name: string, value: string): void {
  const attr = ATTRIBUTE.exec(name);
  if (attr) {
    const prev = fields.attributes[attr[1]];
    fields.attributes[attr[1]] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  } else if ((FIELD_NAMES as readonly string[]).includes(name)) {
    fields[name as (typeof FIELD_NAMES)[number]] = value;
  }
}

/** Reads the report form: multipart with up to 5 photos, or JSON without photos (API clients). */
async function readReport(request: FastifyRequest): Promise<{ fields: ReportFields; photos: Buffer[] }> {
  const fields: ReportFields = { attributes: {} };
  const photos: Buffer[] = [];
  if (!request.isMultipart()) {
    const body = (request.body ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(body)) {
      if (k === 'attributes' && v && typeof v === 'object') {
        for (const [code, answer] of Object.entries(v)) fields.attributes[code] = Array.isArray(answer) ? answer.map(String) : String(answer);
      } else if (typeof v === 'string' || typeof v === 'number') addField(fields, k, String(v));
    }
    return { fields, photos };
  }
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_PHOTOS + 1, fields: 60 } })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        if (part.fieldname === 'photos' && data.length > 0) photos.push(data);
      } else {
        addField(fields, part.fieldname, String(part.value));
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError({ status: 413, code: 'too_large', field: 'photos', message: 'photos: each photo may be at most 10 MB', message_sv: 'photos: varje foto får vara högst 10 MB' });
    if (code === 'FST_FILES_LIMIT') throw badInput('photos', `at most ${MAX_PHOTOS} photos`, `högst ${MAX_PHOTOS} foton`);
    throw error;
  }
  return { fields, photos };
}

/**
 * The public JSON API behind the citizen pages (no log-in): catalogue, places and boundaries, reports
 * with photos, nearby open cases, case pages by number or private token, "not fixed", and e-mail
 * subscriptions. Nothing here ever returns the reporter's contact details.
 */
export async function publicRoutes(parent: FastifyInstance): Promise<void> {
  installCaseEmails();
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_PHOTOS + 1 }, throwFileSizeLimit: true });
  const service = new PublicService(app.ctx);
  const tags = ['public'];
  const writeLimit = { rateLimit: { max: 60, timeWindow: '1 minute' } };

  app.get('/api/public/config', { schema: { tags } }, async () => ({
    map_tile_url: app.ctx.config.mapTileUrl ?? null,
    reopen_days: app.ctx.config.reopenDays,
    max_photos: MAX_PHOTOS,
  }));

  app.get('/api/public/municipalities', { schema: { tags } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=3600');
    return { municipalities: await listMunicipalities(app.ctx.db, app.ctx.routing.areaIndex) };
  });

  app.get('/api/public/municipalities/:key', { schema: { tags, params: Type.Object({ key: Type.String({ minLength: 1, maxLength: 80 }) }) } },
    async (req) => findMunicipality(app.ctx.db, app.ctx.routing.areaIndex, req.params.key));

  app.get('/api/public/boundaries', {
    schema: { tags, querystring: Type.Object({ municipality: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })) }) },
  }, async (req, reply) => {
    reply.header('cache-control', 'public, max-age=86400');
    return req.query.municipality ? municipalityBoundary(app.ctx.routing.areaIndex, req.query.municipality) : countyBoundaries();
  });

  app.get('/api/public/geocode', { schema: { tags, querystring: Type.Object({ q: Type.String({ maxLength: 200 }) }) } },
    async (req) => ({ results: await geocode(app.ctx.db, app.ctx.routing.areaIndex, req.query.q), precision_note: 'postal_code_area' }));

  app.get('/api/public/services', { schema: { tags } }, async () => service.catalogue());

  app.get('/api/public/nearby', {
    schema: {
      tags,
      querystring: Type.Object({
        service_code: Type.String({ minLength: 1, maxLength: 64 }),
        lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        postal_code: Type.Optional(Type.String({ maxLength: 10 })),
      }),
    },
  }, async (req) => service.nearby(req.query));

  app.post('/api/public/reports', { config: writeLimit, schema: { tags } }, async (req, reply) => {
    idempotencyKeyOf(req);
    const { fields, photos } = await readReport(req);
    return sendIdempotent(app.ctx.db, req, reply, {
      route: 'public.report', fingerprint: { fields, photos },
      recover: async (caseId) => ({ status: 201, body: await service.receiptOf(caseId) }),
    }, async () => ({ status: 201, body: await service.submitReport(fields, photos) }));
  });

  app.get('/api/public/cases', {
    schema: {
      tags,
      querystring: Type.Object({
        municipality: Type.String({ pattern: '^[0-9]{4}$' }),
        service: Type.Optional(Type.String({ maxLength: 64 })),
        status: Type.Optional(Type.String({ maxLength: 32 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
        before: Type.Optional(Type.Integer({ minimum: 1 })),
      }),
    },
  }, async (req) => service.recent(req.query));

  app.get('/api/public/cases/:number', { schema: { tags, params: Type.Object({ number: CaseNumber }) } },
    async (req) => service.caseByNumber(req.params.number));

  app.get('/api/public/follow/:token', { schema: { tags, params: Type.Object({ token: Token }) } },
    async (req) => service.caseByToken(req.params.token));

  app.post('/api/public/cases/:number/reopen', {
    config: writeLimit,
    schema: { tags, params: Type.Object({ number: CaseNumber }), body: Type.Object({ comment: Type.Optional(Type.String({ maxLength: 5000 })) }) },
  }, async (req) => service.reopen(req.params.number, req.body.comment));

  app.post('/api/public/cases/:number/subscribe', {
    config: writeLimit,
    schema: {
      tags, params: Type.Object({ number: CaseNumber }),
      body: Type.Object({ email: Type.Optional(Type.String({ maxLength: 320 })), locale: Type.Optional(Type.Union([Type.Literal('sv'), Type.Literal('en')])) }),
    },
  }, async (req, reply) => {
    await service.subscribe(req.params.number, req.body.email, req.body.locale);
    return reply.code(201).send({ subscribed: true });
  });

  // One click: the e-mail's link opens the page that posts here; mail programs post here directly (RFC 8058).
  app.post('/api/public/unsubscribe/:token', { config: writeLimit, schema: { tags, params: Type.Object({ token: Token }) } },
    async (req) => service.unsubscribe(req.params.token));

  app.get('/api/public/photos/:key', { schema: { tags, params: Type.Object({ key: Type.String({ pattern: '^[a-f0-9]{32}\\.jpg$' }) }) } }, async (req, reply) => {
    const photo = await findPublicPhoto(app.ctx.db, req.params.key);
    if (!photo) throw notFound('photo');
    const data = await readStored(app.ctx.config.dataDir, photo.storage_key).catch(() => { throw notFound('photo'); });
    return reply.header('content-type', 'image/jpeg').header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'").header('cache-control', 'public, max-age=86400').send(data);
  });
}
