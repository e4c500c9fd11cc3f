import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireStaff } from '../staff/auth.js';
import { reportDone } from './contractor.js';
import { intField, readForm, staffActor } from './http.js';
import { queuePage } from './queue.js';
import { resolveCaseRef } from './view.js';
import { ActionResult, CaseRef, QueueResponse } from './schema.js';

const tags = ['contractor portal'];

/**
 * The contractor portal's API. A contractor's scope already limits every case route to its own work
 * orders (the case page works the same); these add the work-order list and "report done".
 */
export async function contractorRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;

  r.get('/api/staff/contractor/orders', {
    schema: {
      tags, summary: 'My organisation\'s work orders: open ones first by due time (done=true: those reported done or closed)',
      querystring: Type.Object({ done: Type.Optional(Type.Boolean()), cursor: Type.Optional(Type.String({ maxLength: 400 })) }),
      response: { 200: QueueResponse },
    },
    preHandler: requireStaff('contractor'),
  }, async (request) => queuePage(db, staffActor(request), { open: !request.query.done, sort: request.query.done ? 'updated_desc' : 'due_asc', limit: 50, cursor: request.query.cursor }));

  r.post('/api/staff/cases/:ref/done', {
    schema: {
      tags, summary: 'Report a work order done: multipart/form-data with note, expected_version and file "photo" (or JSON without photo)',
      consumes: ['multipart/form-data', 'application/json'], params: CaseRef, response: { 200: ActionResult },
    },
    preHandler: requireStaff('contractor'),
  }, async (request) => {
    const staff = staffActor(request);
    const caseId = await resolveCaseRef(db, staff, request.params.ref);
    const { fields, file } = await readForm(request);
    const kase = await reportDone(app.ctx.cases, app.ctx.config.dataDir, staff, caseId, { note: fields.note ?? '', expected_version: intField(fields, 'expected_version')!, photo: file });
    return { id: kase.id, public_id: kase.public_id, version: kase.version, status: kase.status };
  });
}
