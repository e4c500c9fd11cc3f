import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../staff/auth.js';
import { staffActor } from '../cases/http.js';
import { actorOf } from '../cases/scope.js';
import { resolveCaseRef } from '../cases/view.js';
import { CaseRef } from '../cases/schema.js';
import { appendAudit } from '../audit/service.js';
import { badInput } from '../shared/errors.js';
import { diary, gdprExport, recordOf } from './service.js';
import { recordHtml } from './html.js';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';

/** True for a real calendar day (2026-02-31 is not). */
function isCalendarDate(value: string): boolean {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Public diary, confidential flag, records export of a case and the GDPR access export (see service.ts). */
export async function recordsRoutes(parent: FastifyInstance): Promise<void> {
  const r = parent.withTypeProvider<TypeBoxTypeProvider>();
  const db = r.ctx.db;

  r.get('/api/public/diary', {
    schema: {
      tags: ['public'], summary: 'The public diary (diarium): registered cases without personal data',
      querystring: Type.Object({
        municipality: Type.String({ pattern: '^[0-9]{4}$', description: 'kommunkod' }),
        from: Type.Optional(Type.String({ pattern: DATE })),
        to: Type.Optional(Type.String({ pattern: DATE })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const q = request.query;
    for (const field of ['from', 'to'] as const) {
      if (q[field] && !isCalendarDate(q[field])) throw badInput(field, 'is not a date (YYYY-MM-DD)', 'är inget datum (ÅÅÅÅ-MM-DD)');
    }
    if (q.from && q.to && q.from > q.to) throw badInput('to', 'must not be before from', 'får inte vara före from');
    return { municipality: q.municipality, entries: await diary(db, q) };
  });

  r.post('/api/staff/cases/:ref/confidential', {
    schema: {
      tags: ['cases'], summary: 'Mark a case confidential (sekretess) or lift the mark: hides the reporter and the case everywhere public',
      params: CaseRef,
      body: Type.Object({ confidential: Type.Boolean(), reason: Type.String({ minLength: 3, maxLength: 500 }), expected_version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
    },
    preHandler: requireStaff('handler', 'supervisor', 'admin'),
  }, async (request) => {
    const staff = staffActor(request);
    const caseId = await resolveCaseRef(db, staff, request.params.ref);
    const updated = await r.ctx.cases.mutate(caseId, { scope: staff, actor: actorOf(staff), expectedVersion: request.body.expected_version }, async () => ({
      set: { confidential: request.body.confidential },
      events: [{ kind: 'confidentiality_changed', visibility: 'internal', body: request.body.reason, data: { confidential: request.body.confidential } }],
    }));
    return { case_number: updated.public_id, confidential: updated.confidential, version: updated.version };
  });

  const recordFor = async (request: Parameters<typeof staffActor>[0], ref: string) => {
    const staff = staffActor(request);
    const caseId = await resolveCaseRef(db, staff, ref);
    const record = await recordOf(db, caseId);
    await db.transaction().execute((trx) => appendAudit(trx, {
      chain: staff.organisationId, actor_user_id: staff.userId, actor_label: staff.label,
      action: 'records.exported', subject_type: 'case', subject_id: record.case_number, details: { masking: record.masking },
    }));
    return { record, by: staff.label };
  };
  const recordRoles = requireStaff('agent', 'handler', 'supervisor', 'admin');

  r.get('/api/staff/cases/:ref/record', {
    schema: { tags: ['cases'], summary: 'Records export (allmän handling) of a case, secret parts masked (JSON)', params: CaseRef },
    preHandler: recordRoles,
  }, async (request) => (await recordFor(request, request.params.ref)).record);

  r.get('/api/staff/cases/:ref/record.html', {
    schema: { tags: ['cases'], summary: 'Records export of a case as a printable page', params: CaseRef },
    preHandler: recordRoles,
  }, async (request, reply) => {
    const { record, by } = await recordFor(request, request.params.ref);
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(recordHtml(record, by));
  });

  r.get('/api/admin/gdpr-export', {
    schema: {
      tags: ['admin'], summary: 'GDPR access export: everything your organisations hold about an e-mail address',
      querystring: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' }) }, { additionalProperties: false }),
    },
    preHandler: requireStaff('admin'),
  }, async (request, reply) => {
    const staff = staffOf(request);
    const adminOf = staff.memberships.filter((m) => m.role === 'admin').map((m) => m.organisation_id);
    const result = await gdprExport(db, request.query.email, adminOf);
    await db.transaction().execute((trx) => appendAudit(trx, {
      chain: staff.organisationId, actor_user_id: staff.userId, actor_label: staff.displayName,
      action: 'gdpr.exported', subject_type: 'email', subject_id: 'redacted', details: { organisation_ids: adminOf, reporter_records: result.reporter_records.length },
    }));
    return reply.header('cache-control', 'no-store').send(result);
  });
}
