import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { AppContext } from './app-context.js';
import { installJsonErrorHandler } from './shared/error-handler.js';
import { installSecurity } from './security/plugin.js';
import { pgRateLimitStore } from './perf/rate-limit-store.js';
import { healthRoutes } from './health/routes.js';
import { staffAuthPlugin } from './staff/auth.js';
import { staffRoutes } from './staff/routes.js';
import { assetRoutes } from './assets/routes.js';
import { alarmRoutes } from './alarms/routes.js';
import { statisticsRoutes } from './statistics/routes.js';
import { opendataRoutes } from './opendata/routes.js';
import { webRoutes } from './web/routes.js';
import { publicRoutes } from './public/routes.js';
import { open311Routes } from './open311/routes.js';
import { routingRoutes } from './routing/routes.js';
import { agreementRoutes } from './agreements/routes.js';
import { caseRoutes } from './cases/routes.js';
import { contactCentreRoutes } from './contactcentre/routes.js';
import { recordsRoutes } from './records/routes.js';
import { securityRoutes } from './security/routes.js';

export interface BuildOptions {
  logger?: boolean | object;
}

/**
 * Every module's routes, in registration order. A module adds one line here; its plugin gets
 * `app.ctx` and must not reach into another module's tables.
 */
const MODULES: FastifyPluginAsync[] = [healthRoutes, staffRoutes, statisticsRoutes, opendataRoutes, open311Routes, assetRoutes, alarmRoutes, routingRoutes, agreementRoutes, publicRoutes, caseRoutes, contactCentreRoutes, recordsRoutes, securityRoutes];

/** Builds the fastify app around an open context. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: true,
    bodyLimit: 1_048_576,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  });
  app.decorate('ctx', ctx);
  installJsonErrorHandler(app);
  await installSecurity(app);
  await app.register(cookie);
  await app.register(formbody);
  // On a PostgreSQL server several processes share the counters; PGlite has one process, so memory will do.
  await app.register(rateLimit, { global: false, ...(ctx.dbKind === 'postgres' ? { store: pgRateLimitStore(ctx.db) } : {}) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Ingång API', version: '0.1.0', description: 'Open311 GeoReport v2 and the Ingång staff and public APIs' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await staffAuthPlugin(app);
  await webRoutes(app);
  for (const module of MODULES) await app.register(module);
  return app;
}
