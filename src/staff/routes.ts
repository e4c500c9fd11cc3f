import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../shared/errors.js';
import { verifyPassword } from './passwords.js';
import { createSession, deleteSession, findUserByEmail, listOrganisations, membershipsOf, recentFailures, recordLoginAttempt, setActiveOrganisation } from './repo.js';
import { requireStaff, SESSION_COOKIE, staffOf } from './auth.js';

const MAX_FAILURES = 10;
const WINDOW_MINUTES = 15;

const Me = Type.Object({
  user: Type.Object({ id: Type.Integer(), email: Type.String(), display_name: Type.String(), locale: Type.String() }),
  organisation_id: Type.Integer(),
  role: Type.String(),
  csrf_token: Type.String(),
  memberships: Type.Array(Type.Object({
    organisation_id: Type.Integer(), organisation_name_sv: Type.String(), organisation_name_en: Type.String(),
    organisation_kind: Type.String(), role: Type.String(),
  })),
});

/** Log-in, log-out, who am I, and switching organisation. */
export async function staffRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;
  const secureCookie = app.ctx.config.publicBaseUrl.startsWith('https:');

  r.post('/api/staff/login', {
    schema: {
      tags: ['staff'],
      summary: 'Sign in with e-mail and password',
      body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: Me },
    },
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const email = request.body.email.trim().toLowerCase();
    const failures = await recentFailures(db, email, request.ip, WINDOW_MINUTES);
    if (failures.byEmail >= MAX_FAILURES || failures.byIp >= MAX_FAILURES * 5) {
      throw new AppError({ status: 429, code: 'login_throttled', message: `Too many failed log-ins; wait ${WINDOW_MINUTES} minutes`, message_sv: `För många misslyckade inloggningar; vänta ${WINDOW_MINUTES} minuter` });
    }
    const user = await findUserByEmail(db, email);
    const ok = !!user && !user.disabled_at && (await verifyPassword(user.password_hash, request.body.password));
    await recordLoginAttempt(db, email, request.ip, ok);
    if (!ok || !user) {
      throw new AppError({ status: 401, code: 'bad_credentials', field: 'password', message: 'Wrong e-mail or password', message_sv: 'Fel e-postadress eller lösenord' });
    }
    const memberships = await membershipsOf(db, user.id);
    if (memberships.length === 0) {
      throw new AppError({ status: 403, code: 'no_membership', message: 'This account belongs to no organisation', message_sv: 'Kontot hör inte till någon organisation' });
    }
    const { token, csrfToken } = await createSession(db, user.id, memberships[0].organisation_id);
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie, maxAge: 12 * 3600 });
    return {
      user: { id: user.id, email: user.email, display_name: user.display_name, locale: user.locale },
      organisation_id: memberships[0].organisation_id,
      role: memberships[0].role,
      csrf_token: csrfToken,
      memberships,
    };
  });

  r.get('/api/staff/me', { schema: { tags: ['staff'], summary: 'The signed-in person', response: { 200: Me } }, preHandler: requireStaff() }, async (request) => {
    const s = staffOf(request);
    return {
      user: { id: s.userId, email: s.email, display_name: s.displayName, locale: s.locale },
      organisation_id: s.organisationId,
      role: s.role,
      csrf_token: s.csrfToken,
      memberships: s.memberships,
    };
  });

  r.post('/api/staff/organisation', {
    schema: { tags: ['staff'], summary: 'Act for another of my organisations', body: Type.Object({ organisation_id: Type.Integer() }) },
    preHandler: requireStaff(),
  }, async (request) => {
    const s = staffOf(request);
    if (!s.memberships.some((m) => m.organisation_id === request.body.organisation_id)) {
      throw new AppError({ status: 403, code: 'not_member', field: 'organisation_id', message: 'organisation_id: you are not a member of that organisation', message_sv: 'organisation_id: du är inte medlem i den organisationen' });
    }
    await setActiveOrganisation(db, s.token, request.body.organisation_id);
    return { organisation_id: request.body.organisation_id };
  });

  // Read-only: the bodies a case can be forwarded to (names are public; no members or contact details).
  r.get('/api/staff/organisations', {
    schema: {
      tags: ['staff'], summary: 'Every organisation (id, names, kind), for forwarding a case to another body',
      response: { 200: Type.Object({ organisations: Type.Array(Type.Object({ id: Type.Integer(), name_sv: Type.String(), name_en: Type.String(), kind: Type.String() })) }) },
    },
    preHandler: requireStaff(),
  }, async () => ({ organisations: await listOrganisations(db) }));

  r.post('/api/staff/logout', { schema: { tags: ['staff'], summary: 'Sign out' }, preHandler: requireStaff() }, async (request, reply) => {
    await deleteSession(db, staffOf(request).token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });
}
