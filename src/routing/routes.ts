import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../staff/auth.js';
import { CaseRerouting } from '../cases/rerouting.js';
import type { StaffActor } from '../cases/scope.js';
import { notFound } from '../shared/errors.js';
import { AreaAdminService, DRAWN_AREA_KINDS } from './areas.js';
import { findArea, listAreas } from './repo.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const AreaKindSchema = Type.Union(DRAWN_AREA_KINDS.map((k) => Type.Literal(k)));
const Location = Type.Object({
  lat: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Null()])),
  lon: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Null()])),
  sweref_n: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Null()])),
  sweref_e: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Null()])),
  address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  postal_code: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
  municipality_code: Type.Optional(Type.Union([Type.String({ maxLength: 4 }), Type.Null()])),
}, { additionalProperties: false });

/** Roles that may move a case they own to another body (the contact centre too: it forwards). */
const MOVERS = ['agent', 'handler', 'supervisor', 'admin'] as const;

function actorOfRequest(request: FastifyRequest): StaffActor {
  const s = staffOf(request);
  return { organisationId: s.organisationId, role: s.role, userId: s.userId, label: s.displayName };
}

/**
 * Admin API for drawn areas (districts, road corridors, custom areas) and the staff API that
 * re-routes, forwards and explains a case's routing.
 */
export async function routingRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, routing, cases } = app.ctx;
  const areas = new AreaAdminService(db, routing);
  const rerouting = new CaseRerouting(db, routing, cases);

  r.get('/api/admin/areas', {
    schema: {
      tags: ['routing'], summary: 'Areas (without polygons)',
      querystring: Type.Object({
        kind: Type.Optional(Type.Union([Type.Literal('municipality'), AreaKindSchema])),
        municipality_code: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })),
      }),
    },
    preHandler: requireStaff('admin'),
  }, async (request) => ({ areas: await listAreas(db, request.query) }));

  r.get('/api/admin/areas/:id', { schema: { tags: ['routing'], summary: 'One area with its GeoJSON polygon', params: Id }, preHandler: requireStaff('admin') }, async (request) => {
    const area = await findArea(db, request.params.id);
    if (!area) throw notFound('area', request.params.id);
    return area;
  });

  r.post('/api/admin/areas', {
    schema: {
      tags: ['routing'], summary: 'Draw a district, road corridor or custom area (GeoJSON Polygon/MultiPolygon, WGS84)',
      body: Type.Object({
        kind: AreaKindSchema,
        code: Type.String({ minLength: 1, maxLength: 60 }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        municipality_code: Type.String({ pattern: '^[0-9]{4}$' }),
        geometry: Type.Unknown(),
      }, { additionalProperties: false }),
    },
    bodyLimit: 10_485_760,
    preHandler: requireStaff('admin'),
  }, async (request, reply) => {
    const created = await areas.create({ organisationId: staffOf(request).organisationId }, request.body);
    return reply.code(201).send(created);
  });

  r.put('/api/admin/areas/:id', {
    schema: {
      tags: ['routing'], summary: 'Rename or redraw an area', params: Id,
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), geometry: Type.Optional(Type.Unknown()) }, { additionalProperties: false }),
    },
    bodyLimit: 10_485_760,
    preHandler: requireStaff('admin'),
  }, async (request) => {
    await areas.update({ organisationId: staffOf(request).organisationId }, request.params.id, request.body);
    return { ok: true };
  });

  r.get('/api/staff/cases/:id/routing', {
    schema: { tags: ['routing'], summary: 'Why the case is where it is: decision, explanation (sv/en), routing history and former owners', params: Id },
    preHandler: requireStaff('agent', 'handler', 'supervisor', 'admin'),
  }, async (request) => rerouting.history(request.params.id, staffOf(request).organisationId));

  r.post('/api/staff/cases/:id/reroute', {
    schema: {
      tags: ['routing'], summary: 'Change the service and/or location and route the case again', params: Id,
      body: Type.Object({
        expected_version: Type.Integer({ minimum: 1 }),
        service_code: Type.Optional(Type.String({ maxLength: 60 })),
        location: Type.Optional(Location),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
    },
    preHandler: requireStaff(...MOVERS),
  }, async (request) => {
    const { expected_version, ...input } = request.body;
    const result = await rerouting.reroute(request.params.id, input, { staff: actorOfRequest(request), expectedVersion: expected_version });
    return { case_id: result.case.id, version: result.case.version, organisation_id: result.case.organisation_id, moved: result.moved, decision: result.decision };
  });

  r.post('/api/staff/cases/:id/forward', {
    schema: {
      tags: ['routing'], summary: 'Forward the case to another body with a reason ("not ours")', params: Id,
      body: Type.Object({
        expected_version: Type.Integer({ minimum: 1 }),
        organisation_id: Type.Integer({ minimum: 1 }),
        unit_id: Type.Optional(Type.Integer({ minimum: 1 })),
        reason: Type.String({ maxLength: 2000 }),
      }, { additionalProperties: false }),
    },
    preHandler: requireStaff(...MOVERS),
  }, async (request) => {
    const { expected_version, ...input } = request.body;
    const updated = await rerouting.forward(request.params.id, input, { staff: actorOfRequest(request), expectedVersion: expected_version });
    return { case_id: updated.id, version: updated.version, organisation_id: updated.organisation_id, decision: updated.routing };
  });
}
