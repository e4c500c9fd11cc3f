import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { listActiveServices } from '../catalogue/repo.js';
import { readStored } from '../attachments/store.js';
import { requireStaff } from '../staff/auth.js';
import { staffActor } from './http.js';
import { queuePage, queuePoints } from './queue.js';
import { scheduleCountCompaction } from './counts.js';
import { deleteView, listViews, saveView } from './saved-views.js';
import { caseDetail, resolveCaseRef, scopedAttachment } from './view.js';
import { ALL_STATUSES, OPEN311_STATUS, STATUS_LABELS, TRANSITIONS } from './states.js';
import { CaseDetail, CaseRef, MapResponse, QueueFilters, QueueQuery, QueueResponse, SavedView, SavedViewBody } from './schema.js';
import { caseActionRoutes } from './action-routes.js';
import { contractorRoutes } from './contractor-routes.js';

const tags = ['staff cases'];
const CHANNELS = ['web', 'app', 'open311', 'phone', 'email', 'visit', 'alarm', 'import', 'staff'];

/** The staff case API: queue, map, saved views, case page, photos, reference lists; actions and the contractor portal beside. */
export async function caseRoutes(app: FastifyInstance): Promise<void> {
  if (!app.hasRequestDecorator('isMultipart')) await app.register(multipart);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;
  scheduleCountCompaction(app);

  r.get('/api/staff/cases', {
    schema: { tags, summary: 'The queue: filtered, sorted, keyset-paginated, with counts per state', querystring: QueueQuery, response: { 200: QueueResponse } },
    preHandler: requireStaff(),
  }, async (request) => queuePage(db, staffActor(request), request.query));

  r.get('/api/staff/cases/map', {
    schema: { tags, summary: 'The filtered cases as points for the map (at most 2000)', querystring: QueueFilters, response: { 200: MapResponse } },
    preHandler: requireStaff(),
  }, async (request) => queuePoints(db, staffActor(request), request.query));

  r.get('/api/staff/cases/:ref', {
    schema: { tags, summary: 'The case page: case, routing, timeline, photos, reporter (if allowed), next states, duplicates', params: CaseRef, response: { 200: CaseDetail } },
    preHandler: requireStaff(),
  }, async (request) => {
    const staff = staffActor(request);
    return caseDetail(db, staff, await resolveCaseRef(db, staff, request.params.ref));
  });

  r.get('/api/staff/attachments/:id', {
    schema: { tags, summary: 'A photo of a case you may see (JPEG)', params: Type.Object({ id: Type.Integer() }) },
    preHandler: requireStaff(),
  }, async (request, reply) => {
    const row = await scopedAttachment(db, staffActor(request), request.params.id);
    reply.header('content-type', row.content_type).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff');
    return reply.send(await readStored(app.ctx.config.dataDir, row.storage_key));
  });

  r.get('/api/staff/views', {
    schema: { tags, summary: 'My saved queue views and those shared in my organisation', response: { 200: Type.Object({ views: Type.Array(SavedView) }) } },
    preHandler: requireStaff(),
  }, async (request) => ({ views: await listViews(db, staffActor(request)) }));

  r.post('/api/staff/views', {
    schema: { tags, summary: 'Save a queue view (replaces my view of the same name)', body: SavedViewBody, response: { 200: SavedView } },
    preHandler: requireStaff(),
  }, async (request) => saveView(db, staffActor(request), request.body));

  r.delete('/api/staff/views/:id', {
    schema: { tags, summary: 'Delete one of my saved views', params: Type.Object({ id: Type.Integer() }) },
    preHandler: requireStaff(),
  }, async (request) => {
    await deleteView(db, staffActor(request), request.params.id);
    return { ok: true };
  });

  r.get('/api/staff/meta', {
    schema: { tags, summary: 'States with labels and allowed transitions, channels, and the services with SLA tiers and knowledge-base text' },
    preHandler: requireStaff(),
  }, async () => {
    const services = await listActiveServices(db);
    return {
      statuses: ALL_STATUSES.map((s) => ({ code: s, open311: OPEN311_STATUS[s], label_sv: STATUS_LABELS[s].sv, label_en: STATUS_LABELS[s].en, transitions: TRANSITIONS[s] })),
      channels: CHANNELS,
      services: services.map((s) => ({
        service_code: s.service_code, group_code: s.group_code, group_name_sv: s.group_name_sv, group_name_en: s.group_name_en, name_sv: s.name_sv, name_en: s.name_en,
        default_priority: s.default_priority, sla_tiers: s.sla_tiers, knowledge_sv: s.knowledge_sv, knowledge_en: s.knowledge_en, attributes: s.attributes,
      })),
    };
  });

  r.get('/api/staff/assignees', {
    schema: {
      tags, summary: 'Who a case of my organisation can be given to: its units, its members (not contractors) and the contractor organisations',
      response: { 200: Type.Object({
        units: Type.Array(Type.Object({ id: Type.Integer(), name_sv: Type.String(), name_en: Type.String(), is_default: Type.Boolean() })),
        users: Type.Array(Type.Object({ id: Type.Integer(), display_name: Type.String(), role: Type.String(), unit_id: Type.Union([Type.Integer(), Type.Null()]) })),
        contractors: Type.Array(Type.Object({ id: Type.Integer(), name_sv: Type.String(), name_en: Type.String() })),
      }) },
    },
    preHandler: requireStaff(),
  }, async (request) => {
    const staff = staffActor(request);
    const [units, users, contractors] = await Promise.all([
      db.selectFrom('units').select(['id', 'name_sv', 'name_en', 'is_default']).where('organisation_id', '=', staff.organisationId).orderBy('name_sv').execute(),
      db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select(['users.id', 'users.display_name', 'memberships.role', 'memberships.unit_id'])
        .where('memberships.organisation_id', '=', staff.organisationId).where('memberships.role', '!=', 'contractor')
        .where('users.disabled_at', 'is', null).orderBy('users.display_name').execute(),
      db.selectFrom('organisations').select(['id', 'name_sv', 'name_en']).where('kind', '=', 'contractor').orderBy('name_sv').execute(),
    ]);
    return { units, users, contractors };
  });

  await app.register(caseActionRoutes);
  await app.register(contractorRoutes);
}
