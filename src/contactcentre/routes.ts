import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Role } from '../db/types.js';
import { requireStaff } from '../staff/auth.js';
import { findServiceByCode } from '../catalogue/repo.js';
import { staffActor } from '../cases/http.js';
import { findNearbyOpen } from '../cases/duplicates.js';
import { CaseRef, ChannelSchema, NearbyItem, Priority } from '../cases/schema.js';
import { notFound } from '../shared/errors.js';
import { addCallerAsFollower, nearbyForCaller, registerForCaller } from './service.js';

const tags = ['contact centre'];
const FRONT_DESK: Role[] = ['agent', 'handler', 'supervisor', 'admin'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const RegisterBody = Type.Object({
  service_code: Type.String({ maxLength: 64 }),
  channel: ChannelSchema,
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  lat: Type.Optional(Nullable(Type.Number())),
  lon: Type.Optional(Nullable(Type.Number())),
  address: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  postal_code: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  municipality_code: Type.Optional(Nullable(Type.String({ maxLength: 4 }))),
  asset_code: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'the number on the asset the caller reads out (street light, bin…): its place is used when none is given, and its responsible contractor gets the case' }))),
  attributes: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
  priority: Type.Optional(Priority),
  reporter: Type.Optional(Type.Object({
    name: Type.Optional(Type.String({ maxLength: 200 })), email: Type.Optional(Type.String({ maxLength: 254 })),
    phone: Type.Optional(Type.String({ maxLength: 40 })), locale: Type.Optional(Type.Enum(['sv', 'en'])),
  })),
  resolved_at_first_contact: Type.Optional(Type.Boolean({ description: 'true: answered at once; the case is closed with `resolution` as its public note' })),
  resolution: Type.Optional(Type.String({ maxLength: 4000, description: 'the answer given to the caller' })),
});

const Registered = Type.Object({
  id: Type.Integer(), public_id: Type.String(), version: Type.Integer(), status: Type.String(), resolved_at_first_contact: Type.Boolean(),
  organisation: Type.Object({ id: Type.Integer(), name: Type.String() }),
  routing: Type.Object({ explanation_sv: Type.String(), explanation_en: Type.String(), kind: Type.String(), reference: Nullable(Type.String()) }),
  in_scope: Type.Boolean({ description: 'false when routed to another body: the agent cannot open it in the queue' }),
  possible_duplicates: Type.Array(NearbyItem),
});

/** The contact centre ("en väg in"): register a caller's case, nearby cases first, knowledge base, follow. */
export async function contactCentreRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;

  r.get('/api/staff/cases/nearby', {
    schema: {
      tags, summary: 'Open cases of any body near the caller\'s place, same service first (public details only)',
      querystring: Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }),
        service: Type.Optional(Type.String({ maxLength: 64 })), radius_m: Type.Optional(Type.Integer({ minimum: 10, maximum: 1000 })) }),
      response: { 200: Type.Object({ items: Type.Array(NearbyItem) }) },
    },
    preHandler: requireStaff(...FRONT_DESK),
  }, async (request) => {
    const q = request.query;
    const items = await nearbyForCaller(db, staffActor(request), { lat: q.lat, lon: q.lon, service_code: q.service, radius_m: q.radius_m });
    return { items: items.map((i) => ({ ...i, requested_at: i.requested_at.toISOString() })) };
  });

  r.post('/api/staff/cases', {
    schema: { tags, summary: 'Register a case for a caller (channel phone, email or visit); optionally resolved at first contact', body: RegisterBody, response: { 200: Registered } },
    preHandler: requireStaff(...FRONT_DESK),
  }, async (request) => {
    const staff = staffActor(request);
    const b = request.body;
    const created = await registerForCaller(db, app.ctx.cases, staff, {
      service_code: b.service_code, channel: b.channel as 'phone', description: b.description, title: b.title, attributes: b.attributes, priority: b.priority as 1 | 2 | 3 | undefined,
      location: { lat: b.lat, lon: b.lon, address: b.address, postal_code: b.postal_code, municipality_code: b.municipality_code },
      reporter: b.reporter ?? null, resolved_at_first_contact: b.resolved_at_first_contact, resolution: b.resolution, asset_code: b.asset_code,
    });
    const k = created.case;
    const org = await db.selectFrom('organisations').select('name_sv').where('id', '=', k.organisation_id).executeTakeFirstOrThrow();
    const inScope = k.organisation_id === staff.organisationId;
    const dups = k.lat !== null && k.lon !== null && !k.resolved_at_first_contact
      ? await findNearbyOpen(db, { lat: k.lat, lon: k.lon, service_id: k.service_id, exclude_case_id: k.id, scope: null })
      : [];
    return {
      id: k.id, public_id: k.public_id, version: k.version, status: k.status, resolved_at_first_contact: k.resolved_at_first_contact,
      organisation: { id: k.organisation_id, name: org.name_sv },
      routing: { explanation_sv: created.decision.explanation_sv, explanation_en: created.decision.explanation_en, kind: created.decision.kind, reference: created.decision.reference },
      in_scope: inScope,
      possible_duplicates: dups.map((d) => ({ ...d, requested_at: d.requested_at.toISOString(), in_scope: d.organisation_id === staff.organisationId })),
    };
  });

  r.post('/api/staff/cases/:ref/followers', {
    schema: {
      tags, summary: 'Add a caller as follower of an open case of any body (by internal id, as listed by /nearby)', params: CaseRef,
      body: Type.Object({ email: Type.String({ maxLength: 254 }), locale: Type.Optional(Type.Enum(['sv', 'en'])) }),
      response: { 200: Type.Object({ public_id: Type.String(), already: Type.Boolean() }) },
    },
    preHandler: requireStaff(...FRONT_DESK),
  }, async (request) => {
    const id = /^\d{1,15}$/.test(request.params.ref) ? Number(request.params.ref) : -1;
    return addCallerAsFollower(db, app.ctx.cases, staffActor(request), id, { email: request.body.email, locale: request.body.locale as 'sv' | 'en' | undefined });
  });

  r.get('/api/staff/knowledge', {
    schema: {
      tags, summary: 'Knowledge-base answers for a service, so the agent can resolve at first contact',
      querystring: Type.Object({ service_code: Type.String({ maxLength: 64 }) }),
      response: { 200: Type.Object({ answers: Type.Array(Type.Object({
        service_code: Type.String(), title_sv: Type.String(), title_en: Type.String(), answer_sv: Type.String(), answer_en: Type.String() })) }) },
    },
    preHandler: requireStaff(...FRONT_DESK),
  }, async (request) => {
    const s = await findServiceByCode(db, request.query.service_code);
    if (!s) throw notFound('service', request.query.service_code);
    const answers = s.knowledge_sv || s.knowledge_en
      ? [{ service_code: s.service_code, title_sv: s.name_sv, title_en: s.name_en, answer_sv: s.knowledge_sv, answer_en: s.knowledge_en }]
      : [];
    return { answers };
  });
}
