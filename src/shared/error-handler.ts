import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { spaEntryFor } from '../web/routes.js';

/** The field a fastify/ajv validation error is about, as the client named it. */
export function fieldOfValidationError(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = first.params as Record<string, unknown> | undefined;
  const missing = params?.missingProperty ?? params?.additionalProperty;
  const path = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing;
  return path || undefined;
}

/** Converts any thrown error into an AppError (or undefined for a genuine server fault). */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as FastifyError;
  if (e.validation) {
    const field = fieldOfValidationError(e) ?? e.validationContext ?? 'request';
    const detail = e.validation[0]?.message ?? e.message;
    return new AppError({ status: 400, code: 'invalid_field', field, message: `${field}: ${detail}`, message_sv: `${field}: ogiltigt värde (${detail})` });
  }
  // PostgreSQL class 22 "data exception": a value from the request the database cannot take (a NUL byte,
  // an integer out of range such as 1e309, a malformed LIKE escape). The request was bad, not the server.
  const sqlState = (error as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
    return new AppError({ status: 400, code: 'invalid_value', message: 'A value in the request is not valid here (out of range or with characters that are not allowed)',
      message_sv: 'Ett värde i begäran är ogiltigt här (utanför tillåtet intervall eller med otillåtna tecken)' });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError({ status: e.statusCode as AppError['status'], code: (e.code ?? 'bad_request').toLowerCase(), message: e.message });
  }
  return undefined;
}

/** JSON errors for the whole app: `{ error: { code, message, message_sv, field } }`. Modules with other formats (Open311) set their own. */
export function installJsonErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (!appError) {
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send({ error: { code: 'internal', message: 'Internal error; it has been logged', message_sv: 'Internt fel; det har loggats' } });
    }
    if (appError.status === 429 && !reply.getHeader('retry-after')) reply.header('retry-after', '60');
    return reply.code(appError.status).send({
      error: { code: appError.code, message: appError.message, message_sv: appError.message_sv, field: appError.field, ...appError.details },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    const entry = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html') ? spaEntryFor(request.url) : undefined;
    if (entry && typeof reply.sendFile === 'function') return reply.header('cache-control', 'no-cache').sendFile(entry);
    reply.code(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}`, message_sv: 'Sidan finns inte' } });
  });
}
