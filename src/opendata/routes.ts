import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { badInput } from '../shared/errors.js';
import { dcatCatalogue, LICENCE } from './dcat.js';
import { toJsonLd, toRdfXml } from './rdf.js';
import { exportChunks, exportFilter, FORMATS } from './service.js';

const ExportQuery = Type.Object({
  municipality: Type.Optional(Type.String({ maxLength: 3000, description: 'Comma-separated kommunkoder' })),
  from: Type.Optional(Type.String({ description: 'First day (YYYY-MM-DD, Swedish time) the case came in' })),
  to: Type.Optional(Type.String({ description: 'Last day (YYYY-MM-DD, inclusive)' })),
  service: Type.Optional(Type.String({ maxLength: 1000, description: 'Comma-separated service codes' })),
  state: Type.Optional(Type.String({ maxLength: 300, description: 'open, closed, or comma-separated states' })),
});

/** Open data: streamed exports (CSV, GeoJSON, Open311 bulk JSON) under CC0, and the DCAT-AP-SE description. */
export async function opendataRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.ctx.db;
  const base = app.ctx.config.publicBaseUrl.replace(/\/$/, '');

  for (const [name, format] of Object.entries(FORMATS)) {
    const path = name === 'open311' ? '/api/opendata/cases.open311.json' : `/api/opendata/cases.${format.extension}`;
    r.get(path, {
      schema: { tags: ['opendata'], summary: `Cases as ${name} (CC0, personal data removed), streamed`, querystring: ExportQuery },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    }, async (request, reply) => {
      const filter = exportFilter(request.query);
      if (filter.services.length) {
        const known = await db.selectFrom('services').select('service_code').where('service_code', 'in', filter.services).execute();
        const unknown = filter.services.filter((s) => !known.some((k) => k.service_code === s));
        if (unknown.length) throw badInput('service', `unknown service ${unknown.join(', ')}`, `okänd kategori ${unknown.join(', ')}`);
      }
      return reply
        .type(format.contentType)
        .header('content-disposition', `attachment; filename="ingang-arenden.${name === 'open311' ? 'open311.json' : format.extension}"`)
        .header('link', `<${LICENCE}>; rel="license", <${base}/api/opendata/catalog>; rel="describedby"`)
        .send(Readable.from(exportChunks(db, filter, format)));
    });
  }

  const catalogue = async (rdfXml: boolean) => {
    const graph = await dcatCatalogue(db, base);
    return rdfXml ? toRdfXml(graph) : JSON.stringify(toJsonLd(graph), null, 1);
  };
  r.get('/api/opendata/catalog', {
    schema: { tags: ['opendata'], summary: 'DCAT-AP-SE description (JSON-LD; RDF/XML when Accept asks for application/rdf+xml)' },
  }, async (request, reply) => {
    const rdfXml = (request.headers.accept ?? '').includes('application/rdf+xml');
    return reply.type(rdfXml ? 'application/rdf+xml; charset=utf-8' : 'application/ld+json; charset=utf-8').header('vary', 'accept').send(await catalogue(rdfXml));
  });
  r.get('/api/opendata/catalog.jsonld', { schema: { tags: ['opendata'], summary: 'DCAT-AP-SE description as JSON-LD' } },
    async (_request, reply) => reply.type('application/ld+json; charset=utf-8').send(await catalogue(false)));
  r.get('/api/opendata/catalog.rdf', { schema: { tags: ['opendata'], summary: 'DCAT-AP-SE description as RDF/XML (for harvesting by dataportal.se)' } },
    async (_request, reply) => reply.type('application/rdf+xml; charset=utf-8').send(await catalogue(true)));
}
