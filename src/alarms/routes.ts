import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { findActiveApiKey } from '../apikeys/service.js';
import { requireStaff, staffOf } from '../staff/auth.js';
import { AppError } from '../shared/errors.js';
import { AlarmBody, AlarmReply } from './schema.js';
import { receiveAlarm } from './service.js';
import { clearSetsFixed, setClearSetsFixed } from './repo.js';

/** The key from `Authorization: Bearer <key>` or `x-api-key`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

/** Operational alarms from machines (API key), and the organisation's alarm setting (staff). */
export async function alarmRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;

  r.post('/api/alarms', {
    schema: {
      tags: ['alarms'],
      summary: 'Raise or clear an operational alarm (driftlarm); repeats with the same alarm_id update one case',
      description: 'Needs an API key scoped to an organisation, as `Authorization: Bearer <key>` or `x-api-key`. Severity sets the priority: critical/major 1, minor 2, warning 3.',
      body: AlarmBody,
      response: { 200: AlarmReply, 201: AlarmReply },
    },
    config: { rateLimit: { max: 1200, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => presentedKey(req) ?? req.ip } },
  }, async (request, reply) => {
    const key = presentedKey(request);
    const found = key ? await findActiveApiKey(db, key, await app.ctx.reference.current(db)) : undefined;
    if (!found) {
      throw new AppError({ status: 401, code: 'api_key_required', message: 'A valid API key is required (Authorization: Bearer <key> or x-api-key)',
        message_sv: 'En giltig API-nyckel krävs' });
    }
    const result = await receiveAlarm(app.ctx, found, request.body);
    return reply.code(result.created ? 201 : 200).send(result);
  });

  const Setting = Type.Object({ clear_sets_fixed: Type.Boolean({ description: 'a "cleared" alarm marks its open case fixed' }) });
  r.get('/api/alarms/settings', { schema: { tags: ['alarms'], summary: "My organisation's alarm setting", response: { 200: Setting } }, preHandler: requireStaff() },
    async (request) => ({ clear_sets_fixed: await clearSetsFixed(db, staffOf(request).organisationId) }));
  r.put('/api/alarms/settings', { schema: { tags: ['alarms'], summary: "Change my organisation's alarm setting", body: Setting, response: { 200: Setting } }, preHandler: requireStaff('admin') },
    async (request) => {
      await setClearSetsFixed(db, staffOf(request).organisationId, request.body.clear_sets_fixed);
      return { clear_sets_fixed: request.body.clear_sets_fixed };
    });
}
