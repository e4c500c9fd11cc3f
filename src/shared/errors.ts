/** HTTP statuses our named errors use. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export interface AppErrorInit {
  status: ErrorStatus;
  /** Stable machine-readable id, e.g. "outside_sweden". */
  code: string;
  /** English message; names the field when there is one. */
  message: string;
  /** Swedish message for people. */
  message_sv?: string;
  /** The input field at fault, as the client named it. */
  field?: string;
  details?: Record<string, unknown>;
}

/**
 * The one error type services throw. Rendered in one place per surface (JSON API, Open311 XML/JSON, HTML),
 * so every bad input gets the same status, code and field name everywhere.
 */
export class AppError extends Error {
  readonly status: ErrorStatus;
  readonly code: string;
  readonly message_sv: string;
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(init: AppErrorInit) {
    super(init.message);
    this.name = 'AppError';
    this.status = init.status;
    this.code = init.code;
    this.message_sv = init.message_sv ?? init.message;
    this.field = init.field;
    this.details = init.details;
  }
}

/** A bad value in a named field. */
export function badInput(field: string, message: string, message_sv?: string, code = 'invalid_field'): AppError {
  return new AppError({ status: 400, code, field, message: `${field}: ${message}`, message_sv: message_sv ? `${field}: ${message_sv}` : undefined });
}

/** A resource that does not exist, or that the caller may not see (the same answer, on purpose). */
export function notFound(what: string, id?: string | number): AppError {
  return new AppError({
    status: 404,
    code: 'not_found',
    message: id === undefined ? `${what} not found` : `${what} ${id} not found`,
    message_sv: id === undefined ? `${what} finns inte` : `${what} ${id} finns inte`,
  });
}
