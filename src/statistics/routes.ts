import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireStaff } from '../staff/auth.js';
import { listAgreements } from './repo.js';
import { StatisticsService, type Selection } from './service.js';
import { AgreementsReply, CompareQuery, ComparisonReply, CsvQuery, list, MapQuery, MapReply } from './schema.js';
import { tableCsv, type TableName } from './tables.js';
import { statisticsPages } from './pages.js';
import { csvLine } from '../opendata/csv.js';

/** How often the server folds changed cases into the pre-aggregates without being asked. */
const REFRESH_EVERY_MS = 60_000;

/** The selection a comparison query names. */
export function selectionOf(q: CompareQuery): Selection {
  return { municipalities: list(q.municipalities), county: q.county || null, agreement: q.agreement || null, from: q.from ?? null, to: q.to ?? null, services: list(q.service) };
}

/** Public statistics API (JSON and CSV), the statistics pages, and the scheduled refresh of the pre-aggregates. */
export async function statisticsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const stats = new StatisticsService(app.ctx.db);
  const rateLimit = { max: 120, timeWindow: '1 minute' };

  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<unknown> = Promise.resolve();
  app.addHook('onReady', async () => {
    if (process.env.NODE_ENV === 'test') return;
    timer = setInterval(() => {
      refreshing = stats.refresh().catch((err) => app.log.error({ err }, 'statistics refresh failed'));
    }, REFRESH_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await refreshing;
  });

  r.get('/api/statistics/municipalities/:code', {
    schema: { tags: ['statistics'], summary: 'Figures of one municipality', params: Type.Object({ code: Type.String({ pattern: '^\\d{4}$' }) }),
      querystring: Type.Omit(CompareQuery, ['municipalities', 'county', 'agreement']), response: { 200: ComparisonReply } },
    config: { rateLimit },
  }, async (request) => stats.compare({ ...selectionOf(request.query), municipalities: [request.params.code] }));

  r.get('/api/statistics/compare', {
    schema: { tags: ['statistics'], summary: 'Side-by-side figures of several municipalities, a county or the members of an agreement',
      querystring: CompareQuery, response: { 200: ComparisonReply } },
    config: { rateLimit },
  }, async (request) => stats.compare(selectionOf(request.query)));

  r.get('/api/statistics/compare.csv', {
    schema: { tags: ['statistics'], summary: 'One table of a comparison as CSV (summary, categories, channels, trend)', querystring: CsvQuery },
    config: { rateLimit },
  }, async (request, reply) => {
    const q = request.query as CompareQuery & { table: TableName; lang?: 'sv' | 'en' };
    const csv = tableCsv(await stats.compare(selectionOf(q)), q.table, q.lang ?? 'sv');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="ingang-statistik-${q.table}.csv"`).send(csv);
  });

  r.get('/api/statistics/map', {
    schema: { tags: ['statistics'], summary: 'One figure for every municipality (for the map of Sweden)', querystring: MapQuery, response: { 200: MapReply } },
    config: { rateLimit },
  }, async (request) => stats.map({ from: request.query.from ?? null, to: request.query.to ?? null, services: list(request.query.service) }, request.query.figure));

  r.get('/api/statistics/map.csv', {
    schema: { tags: ['statistics'], summary: 'One figure for every municipality as CSV', querystring: MapQuery },
    config: { rateLimit },
  }, async (request, reply) => {
    const map = await stats.map({ from: request.query.from ?? null, to: request.query.to ?? null, services: list(request.query.service) }, request.query.figure);
    const csv = '\uFEFF' + csvLine(['municipality_code', 'municipality', map.figure]) + map.values.map((v) => csvLine([v.code, v.name, v.value])).join('');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="ingang-karta-${map.figure}.csv"`).send(csv);
  });

  r.get('/api/statistics/agreements', {
    schema: { tags: ['statistics'], summary: 'Agreements whose members can be compared', response: { 200: AgreementsReply } },
  }, async () => listAgreements(app.ctx.db));

  r.post('/api/statistics/refresh', {
    schema: { tags: ['statistics'], summary: 'Fold changed cases into the statistics now (admins)', response: { 200: Type.Object({ groups: Type.Integer() }) } },
    preHandler: requireStaff('admin', 'supervisor'),
  }, async () => ({ groups: await stats.refresh() }));

  await statisticsPages(app, stats);
}
