import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../staff/auth.js';
import { listStuck, retryNow } from '../outbox/repo.js';
import { notFound } from '../shared/errors.js';
import { ABUSE_KINDS, addAbuse, installAbuseCheck, listAbuse, removeAbuse } from './abuse.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** Admin routes of the security module: the abuse list and the outbox's stuck and dead messages, per organisation. */
export async function securityRoutes(parent: FastifyInstance): Promise<void> {
  // Registered here, after the e-mail and forwarding effects (earlier modules), whose rows it withdraws.
  installAbuseCheck();
  const r = parent.withTypeProvider<TypeBoxTypeProvider>();
  const db = r.ctx.db;
  const tags = ['admin'];
  const admin = requireStaff('admin');

  r.get('/api/admin/abuse', { schema: { tags, summary: 'Blocked sources of reports (own and platform-wide)' }, preHandler: admin },
    async (request) => ({ entries: await listAbuse(db, staffOf(request).organisationId) }));

  r.post('/api/admin/abuse', {
    schema: {
      tags, summary: 'Block an e-mail address, phone number, device id or IP address: its reports are stored hidden and nothing is sent',
      body: Type.Object({
        kind: Type.Union(ABUSE_KINDS.map((k) => Type.Literal(k))),
        value: Type.String({ minLength: 1, maxLength: 320 }),
        reason: Type.String({ minLength: 3, maxLength: 500 }),
      }, { additionalProperties: false }),
    },
    preHandler: admin,
  }, async (request, reply) => {
    const staff = staffOf(request);
    const added = await addAbuse(db, { organisationId: staff.organisationId, userId: staff.userId, ...request.body });
    return reply.code(added ? 201 : 200).send({ added: Boolean(added) });
  });

  r.delete('/api/admin/abuse/:id', { schema: { tags, summary: 'Lift a block of your organisation', params: Id }, preHandler: admin }, async (request) => {
    if (!(await removeAbuse(db, staffOf(request).organisationId, request.params.id))) throw notFound('abuse entry', request.params.id);
    return { removed: true };
  });

  r.get('/api/admin/outbox', {
    schema: {
      tags, summary: "Your organisation's outbox messages that are dead or have failed repeatedly",
      querystring: Type.Object({ min_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
    },
    preHandler: admin,
  }, async (request) => ({ messages: await listStuck(db, request.query.min_attempts ?? 3, [staffOf(request).organisationId]) }));

  r.post('/api/admin/outbox/:id/retry', { schema: { tags, summary: 'Send a stuck or dead message again now', params: Id }, preHandler: admin }, async (request) => {
    const own = await db.selectFrom('outbox').select('id').where('id', '=', request.params.id).where('organisation_id', '=', staffOf(request).organisationId).executeTakeFirst();
    if (!own || !(await retryNow(db, own.id))) throw notFound('outbox message', request.params.id);
    return { queued: true };
  });
}
