// The bare reference of the Open311 POST bench: fastify + pg, no framework of ours. It validates the
// same form fields with a JSON schema and stores the same `cases` row shape (number from the same
// counter table, routing JSON, as_received) in one round trip. No routing, reporter, events, audit or
// outbox: the difference to Ingång's figure is what those cost.
// Usage: DATABASE_URL=… PORT=… tsx bench/reference-server.ts
import crypto from 'node:crypto';
import Fastify from 'fastify';
import formbody from '@fastify/formbody';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const org = (await pool.query(`select o.id, o.case_prefix, o.municipality_code from organisations o where o.slug = 'kommun-1384'`)).rows[0];
const services = new Map<string, number>((await pool.query('select id, service_code from services')).rows.map((r) => [r.service_code, r.id]));
const routing = JSON.stringify({ provider_organisation_id: org.id, municipality_code: org.municipality_code, kind: 'own', located_by: 'point', explanation_sv: 'referens', explanation_en: 'reference' });

const app = Fastify({ logger: false, ajv: { customOptions: { coerceTypes: true } } });
await app.register(formbody);
const number = { type: 'string', pattern: '^-?[0-9]{1,3}(\\.[0-9]+)?$' };
app.post('/requests.json', {
  schema: {
    body: {
      type: 'object',
      required: ['api_key', 'service_code', 'lat', 'long'],
      properties: { api_key: { type: 'string', minLength: 8 }, service_code: { type: 'string', maxLength: 60 }, lat: number, long: number, description: { type: 'string', maxLength: 4000 } },
    },
  },
}, async (request, reply) => {
  const body = request.body as Record<string, string>;
  const serviceId = services.get(body.service_code);
  if (!serviceId) return reply.code(400).send({ error: 'service_code' });
  const year = new Date().getUTCFullYear();
  const asReceived = JSON.stringify({ service_code: body.service_code, description: body.description ?? '', location: { lat: body.lat, lon: body.long } });
  const { rows } = await pool.query(
    `with n as (
       insert into case_number_counters (prefix, year, last_number) values ($1, $2, 1)
       on conflict (prefix, year) do update set last_number = case_number_counters.last_number + 1 returning last_number)
     insert into cases (public_id, organisation_id, municipality_code, service_id, status, priority, channel, description, lat, lon,
                        routing, requested_at, updated_at, follow_token, as_received)
     select $1 || '-' || $2 || '-' || lpad(n.last_number::text, greatest(5, length(n.last_number::text)), '0'), $3, $4, $5, 'submitted', 2, 'open311', $6, $7, $8, $9, now(), now(), $10, $11
     from n returning public_id`,
    [`REF${org.case_prefix}`, year, org.id, org.municipality_code, serviceId, body.description ?? '', Number(body.lat), Number(body.long),
      routing, crypto.randomBytes(18).toString('base64url'), asReceived],
  );
  return reply.code(201).send([{ service_request_id: rows[0].public_id }]);
});
// The bare reads: the same rows the Open311 list and the staff queue show, straight from SQL to JSON.
app.get('/requests.json', async (request) => {
  const { jurisdiction_id } = request.query as { jurisdiction_id: string };
  const { rows } = await pool.query(
    `select public_id, status, service_id, description, lat, lon, requested_at, updated_at from cases
     where municipality_code = $1 and requested_at >= now() - interval '90 days' order by requested_at desc, id desc limit 1000`, [jurisdiction_id]);
  return rows;
});
app.get('/queue', async (request) => {
  const { organisation_id } = request.query as { organisation_id: string };
  const { rows } = await pool.query(
    `select id, public_id, status, priority, service_id, description, requested_at, sla_due_at from cases
     where organisation_id = $1 and closed_at is null order by sla_due_at nulls last, id limit 50`, [Number(organisation_id)]);
  return rows;
});
await app.listen({ port: Number(process.env.PORT ?? 3990), host: '127.0.0.1' });
process.stdout.write('reference ready\n');
