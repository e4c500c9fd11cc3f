import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../staff/auth.js';
import { AppError } from '../shared/errors.js';
import { ASSET_TYPES } from './asset-types.js';
import { AssetImportError, formatProblem, importAssets, parseMapping } from './import.js';
import { AssetBody, AssetImportBody, AssetPatch, AssetTypeList, FeatureCollection, IdParams, PublicListQuery, StaffListQuery } from './schema.js';
import { assetPage, changeAsset, createAsset, listAssetsGeoJson, listPublicAssetsGeoJson, parseBbox } from './service.js';

const EDITORS = ['admin', 'supervisor', 'handler'] as const;

/** The asset register: staff map and pages, create/update/import, and the public map layer. */
export async function assetRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;

  r.get('/api/public/assets', {
    schema: { tags: ['assets'], summary: 'Assets in use of the chosen category in a map box (GeoJSON, public fields)', querystring: PublicListQuery, response: { 200: FeatureCollection } },
    config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return listPublicAssetsGeoJson(db, { bbox: parseBbox(request.query.bbox), serviceCode: request.query.service_code });
  });

  r.get('/api/assets/types', {
    schema: { tags: ['assets'], summary: 'The asset types, their categories and attribute hints', response: { 200: AssetTypeList } },
    preHandler: requireStaff(),
  }, async () => ASSET_TYPES.map(({ code, name_sv, name_en, service_codes, attribute_hints }) => ({ code, name_sv, name_en, service_codes, attribute_hints })));

  r.get('/api/assets', {
    schema: { tags: ['assets'], summary: 'Assets my organisation owns or is responsible for, in a map box (GeoJSON)', querystring: StaffListQuery, response: { 200: FeatureCollection } },
    preHandler: requireStaff(),
  }, async (request) => {
    const types = request.query.type?.split(',').map((t) => t.trim()).filter(Boolean);
    return listAssetsGeoJson(db, { bbox: parseBbox(request.query.bbox), types, scope: { organisationId: staffOf(request).organisationId } });
  });

  r.get('/api/assets/:id', {
    schema: { tags: ['assets'], summary: 'An asset with its case history and open cases', params: IdParams },
    preHandler: requireStaff(),
  }, async (request) => assetPage(db, request.params.id, { organisationId: staffOf(request).organisationId }));

  r.post('/api/assets', {
    schema: { tags: ['assets'], summary: 'Register an asset for my organisation', body: AssetBody, response: { 201: Type.Object({ id: Type.Integer() }) } },
    preHandler: requireStaff(...EDITORS),
  }, async (request, reply) => {
    const id = await createAsset(db, staffOf(request).organisationId, request.body);
    return reply.code(201).send({ id });
  });

  r.patch('/api/assets/:id', {
    schema: { tags: ['assets'], summary: 'Change an asset my organisation owns (the code is fixed)', params: IdParams, body: AssetPatch },
    preHandler: requireStaff(...EDITORS),
  }, async (request) => {
    await changeAsset(db, request.params.id, staffOf(request).organisationId, request.body);
    return assetPage(db, request.params.id, { organisationId: staffOf(request).organisationId });
  });

  r.post('/api/assets/import', {
    schema: { tags: ['assets'], summary: 'Import assets from CSV or GeoJSON text (all or nothing; upsert on code)', body: AssetImportBody },
    preHandler: requireStaff('admin', 'supervisor'),
    bodyLimit: 20 * 1024 * 1024,
  }, async (request) => {
    const b = request.body;
    let mapping;
    try {
      mapping = parseMapping(b.map);
    } catch (error) {
      throw new AppError({ status: 400, code: 'invalid_field', field: 'map', message: `map: ${(error as Error).message}` });
    }
    try {
      return await importAssets(db, {
        organisationId: staffOf(request).organisationId, text: b.content, format: b.format, mapping, crs: b.crs, defaultType: b.type, defaultResponsible: b.responsible,
      });
    } catch (error) {
      if (!(error instanceof AssetImportError)) throw error;
      throw new AppError({
        status: 422, code: 'import_rejected', field: 'content',
        message: `Nothing was imported: ${error.problems.length} problem(s), first: ${formatProblem(error.problems[0])}`,
        message_sv: `Inget importerades: ${error.problems.length} fel, först: ${formatProblem(error.problems[0])}`,
        details: { problems: error.problems.slice(0, 500) },
      });
    }
  });
}
