import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

/** Liveness with a database round trip, for load balancers and `npm start` checks. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Database reachable?' } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.ctx.db);
      return { status: 'ok', database: app.ctx.dbKind };
    } catch (error) {
      app.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable', database: app.ctx.dbKind });
    }
  });
}
