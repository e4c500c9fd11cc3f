import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../db/types.js';
import { AppError } from '../shared/errors.js';
import { findSession, type Membership } from './repo.js';

export const SESSION_COOKIE = 'ingang_session';

/** The signed-in staff member of a request, acting for one organisation at a time. */
export interface StaffSession {
  token: string;
  userId: number;
  email: string;
  displayName: string;
  locale: string;
  csrfToken: string;
  memberships: Membership[];
  /** The organisation the person acts for now; every staff query is scoped by it. */
  organisationId: number;
  role: Role;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Reads the session cookie on every request, so handlers see `request.staff` (or null). */
export async function staffAuthPlugin(app: FastifyInstance): Promise<void> {
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies?.[SESSION_COOKIE];
    if (!token) return;
    const session = await findSession(app.ctx.db, token);
    if (!session) return;
    const memberships = session.memberships;
    const active = memberships.find((m) => m.organisation_id === session.active_organisation_id) ?? memberships[0];
    if (!active) return;
    request.staff = {
      token,
      userId: session.user_id,
      email: session.email,
      displayName: session.display_name,
      locale: session.locale,
      csrfToken: session.csrf_token,
      memberships,
      organisationId: active.organisation_id,
      role: active.role,
    };
  });
}

/**
 * A preHandler that requires a signed-in staff member with one of the roles (any role when none
 * given) and, for changes, the session's CSRF token in the `x-csrf-token` header.
 */
export function requireStaff(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const staff = request.staff;
    if (!staff) {
      throw new AppError({ status: 401, code: 'not_signed_in', message: 'Sign in first', message_sv: 'Logga in först' });
    }
    if (UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== staff.csrfToken) {
      throw new AppError({ status: 403, code: 'csrf', message: 'Missing or wrong x-csrf-token header; reload the page', message_sv: 'Sidan är för gammal; ladda om den' });
    }
    if (roles.length > 0 && !roles.includes(staff.role)) {
      throw new AppError({ status: 403, code: 'forbidden_role', message: `This needs the role ${roles.join(' or ')}`, message_sv: `Detta kräver rollen ${roles.join(' eller ')}` });
    }
  };
}

/** The signed-in staff member, for handlers behind requireStaff. */
export function staffOf(request: FastifyRequest): StaffSession {
  if (!request.staff) throw new AppError({ status: 401, code: 'not_signed_in', message: 'Sign in first', message_sv: 'Logga in först' });
  return request.staff;
}
