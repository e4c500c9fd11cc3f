import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Where `vite build` puts the citizen pages and the staff app. */
export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Which single-page app answers a browser navigation to `url`, or undefined for API paths. */
export function spaEntryFor(url: string): string | undefined {
  const pathname = url.split('?')[0];
  if (/^\/(api|open311|docs|healthz)(\/|$)/.test(pathname)) return undefined;
  if (/\.[a-z0-9]+$/i.test(pathname)) return undefined;
  return pathname === '/staff' || pathname.startsWith('/staff/') ? 'staff/index.html' : 'index.html';
}

/**
 * Serves the built front end. Browser navigations to app routes (/k/1384, /staff/cases/…) get the app's
 * index.html from the not-found handler (see shared/error-handler.ts), so the apps own their routing.
 */
export async function webRoutes(app: FastifyInstance): Promise<void> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    app.log.warn(`The web front end is not built (${WEB_DIST} is missing): run "npm run build"`);
    fs.mkdirSync(WEB_DIST, { recursive: true });
  }
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', index: ['index.html'], wildcard: true, cacheControl: true, maxAge: '1h' });
}
