import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import helmet from '@fastify/helmet';
import type { Config } from '../config.js';
import { appendAudit } from '../audit/service.js';

/** Where a request comes from, for code far from the route (the abuse check inside the case transaction). */
export interface RequestOrigin {
  ip: string;
}

const origin = new AsyncLocalStorage<RequestOrigin>();
const routeTables = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every route of an app as registered (method, URL pattern): the security tests walk it. */
export function routeTableOf(app: FastifyInstance): { method: string; url: string }[] {
  return routeTables.get(app) ?? [];
}

/** The origin of the request being handled, if any (undefined in the CLI, workers and tests without HTTP). */
export function currentOrigin(): RequestOrigin | undefined {
  return origin.getStore();
}

/**
 * The Content-Security-Policy of every page: scripts and styles only from Ingång itself (the built
 * apps load module scripts from /assets; Preact and Leaflet set styles through the CSSOM, which style
 * attributes in SVG charts also need, hence 'unsafe-inline' for styles only), images also from the
 * optional map tile server, nothing may frame Ingång.
 */
export function contentSecurityPolicy(config: Pick<Config, 'mapTileUrl'>): Record<string, string[]> {
  const tiles = config.mapTileUrl ? [new URL(config.mapTileUrl.replace(/\{[a-z]\}/g, 'a')).origin] : [];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...tiles],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  };
}

/** True for a signed-in staff request that a route (not the not-found handler) refused with 403 or 404. */
function isDeniedAccess(request: FastifyRequest, status: number): boolean {
  return request.staff !== null && (status === 403 || status === 404) && typeof request.routeOptions.url === 'string' && !request.routeOptions.url.endsWith('*');
}

/**
 * App-wide security set-up, installed once before the modules: helmet headers with a real CSP,
 * nosniff everywhere; every handler runs with its request origin known (AsyncLocalStorage); and every
 * staff request a route refuses with 403/404 (another organisation's case, note, attachment,
 * agreement, a role it lacks…) is written to the audit log of the person's active organisation as
 * `security.denied_access` (user, role, route, parameters, status — no personal data) and logged as a warning.
 */
export async function installSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(app.ctx.config) },
    crossOriginEmbedderPolicy: false,
  });
  const table: { method: string; url: string }[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url });
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function withOrigin(this: FastifyInstance, request, reply) {
      return origin.run({ ip: request.ip }, () => handler.call(this, request, reply));
    } as RouteHandlerMethod;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isDeniedAccess(request, reply.statusCode)) return payload;
    const staff = request.staff!;
    const details = { method: request.method, route: request.routeOptions.url, params: request.params as Record<string, unknown>, status: reply.statusCode, role: staff.role };
    request.log.warn({ security: 'denied_access', user_id: staff.userId, organisation_id: staff.organisationId, ...details }, 'staff request refused on an id');
    await app.ctx.db.transaction().execute((trx) => appendAudit(trx, {
      chain: staff.organisationId, actor_user_id: staff.userId, actor_label: `user ${staff.userId}`,
      action: 'security.denied_access', subject_type: 'route', subject_id: `${request.method} ${request.routeOptions.url}`, details,
    }));
    return payload;
  });
}
