import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../staff/auth.js';
import { csvLine } from '../opendata/csv.js';
import { Agreement, AgreementInput, ReportQuery, ReportRow } from './schema.js';
import { AgreementService } from './service.js';
import { agreementOptions } from './repo.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const CSV_COLUMNS: (keyof ReportRow)[] = [
  'municipality_code', 'municipality', 'cases', 'closed', 'open', 'median_handling_hours', 'sla_met', 'sla_breached', 'sla_compliance_percent',
];

/** Admin API for agreements (responsibilities) and their follow-up report, JSON under /api/admin/agreements. */
export async function agreementRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const agreements = new AgreementService(app.ctx.db);
  const actor = (request: Parameters<typeof staffOf>[0]) => ({ userId: staffOf(request).userId, organisationId: staffOf(request).organisationId });

  r.get('/api/admin/agreements', {
    schema: { tags: ['agreements'], summary: 'Agreements my organisation provides or is a member municipality of', response: { 200: Type.Object({ agreements: Type.Array(Agreement) }) } },
    preHandler: requireStaff('admin', 'supervisor'),
  }, async (request) => ({ agreements: await agreements.list(staffOf(request).organisationId) }));

  r.get('/api/admin/agreements/options', {
    schema: { tags: ['agreements'], summary: 'Organisations, municipalities, services and groups to choose from in the agreement form' },
    preHandler: requireStaff('admin', 'supervisor'),
  }, async () => agreementOptions(app.ctx.db));

  r.get('/api/admin/agreements/:id', {
    schema: { tags: ['agreements'], summary: 'One agreement', params: Id, response: { 200: Agreement } },
    preHandler: requireStaff('admin', 'supervisor'),
  }, async (request) => agreements.get(staffOf(request).organisationId, request.params.id));

  r.post('/api/admin/agreements', {
    schema: { tags: ['agreements'], summary: 'Create an agreement (applies to new cases)', body: AgreementInput, response: { 201: Agreement } },
    preHandler: requireStaff('admin'),
  }, async (request, reply) => reply.code(201).send(await agreements.create(actor(request), request.body)));

  r.put('/api/admin/agreements/:id', {
    schema: { tags: ['agreements'], summary: 'Change an agreement (existing cases keep their routing)', params: Id, body: AgreementInput, response: { 200: Agreement } },
    preHandler: requireStaff('admin'),
  }, async (request) => agreements.update(actor(request), request.params.id, request.body));

  r.post('/api/admin/agreements/:id/end', {
    schema: {
      tags: ['agreements'], summary: 'End an agreement: valid_to is its last day (default yesterday: stops routing at once)', params: Id,
      body: Type.Optional(Type.Object({ valid_to: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })) }, { additionalProperties: false })),
      response: { 200: Agreement },
    },
    preHandler: requireStaff('admin'),
  }, async (request) => agreements.end(actor(request), request.params.id, request.body?.valid_to));

  r.get('/api/admin/agreements/:id/report', {
    schema: {
      tags: ['agreements'], summary: 'Cases, median handling time and SLA compliance per buyer municipality for a period (JSON or CSV)',
      params: Id, querystring: ReportQuery,
    },
    preHandler: requireStaff('admin', 'supervisor'),
  }, async (request, reply) => {
    const report = await agreements.report(staffOf(request).organisationId, request.params.id, request.query);
    if (request.query.format === 'csv') {
      const name = `avtal-${(report.agreement.reference ?? String(report.agreement.id)).replace(/[^A-Za-z0-9-]+/g, '-')}-${report.from}-${report.to}.csv`;
      // A byte-order mark so spreadsheet programs read å, ä and ö as UTF-8.
      const csv = '\uFEFF' + csvLine(CSV_COLUMNS) + report.rows.map((row) => csvLine(CSV_COLUMNS.map((c) => row[c]))).join('');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(csv);
    }
    return report;
  });
}
