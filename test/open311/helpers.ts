import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { createApiKey } from '../../src/apikeys/service.js';
import type { AppContext } from '../../src/app-context.js';

/** The recorded Open311 samples and official schemas, read in place (never copied into the repo). */
export const SAMPLES = path.resolve('../shared/data-candidates/4_open311_api_samples');
const SCHEMA_DIR = path.join(SAMPLES, 'open311-schema-validation/schema/georeport-v2');

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Ajv validators for the official GeoReport v2 JSON Schemas (plus the swagger file's POST and token answers). */
export function open311Validators() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('uid', true);
  ajv.addFormat('uint', true);
  for (const name of ['service.json', 'services.json', 'request.json', 'requests.json', 'service-definition.json']) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8')), name);
  }
  const swagger = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'swagger.json'), 'utf8'));
  const postAnswer = { type: 'array', minItems: 1, maxItems: 1, items: { ...swagger.definitions.RequestResponse, required: ['service_request_id'] } };
  const tokenAnswer = { type: 'array', items: { ...swagger.definitions.TokenResponse, required: ['service_request_id', 'token'] } };
  const errors = { type: 'array', minItems: 1, items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } } } };
  const check = (schema: object | string) => {
    const validate = typeof schema === 'string' ? ajv.getSchema(schema)! : ajv.compile(schema);
    return (data: unknown): string | null => (validate(data) ? null : ajv.errorsText(validate.errors));
  };
  return {
    services: check('services.json'),
    definition: check('service-definition.json'),
    requests: check('requests.json'),
    postAnswer: check(postAnswer),
    tokenAnswer: check(tokenAnswer),
    errors: check(errors),
  };
}

/** A fresh API key for a test client. */
export async function newKey(ctx: AppContext, name = 'Testklient', opts: { organisationId?: number; rateLimitPerMinute?: number } = {}) {
  return (await createApiKey(ctx.db, { name, organisationId: opts.organisationId ?? null, rateLimitPerMinute: opts.rateLimitPerMinute })).key;
}

/** A form-encoded body with literal keys; arrays repeat the key. */
export function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) params.append(k, value);
  return params.toString();
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Points inside demo municipalities, away from the E6 corridor. */
export const PLACES = {
  kungsbacka: { lat: '57.4870', long: '12.0760' },
  arboga: { lat: '59.3939', long: '15.8388' },
  helsingborg: { lat: '56.0465', long: '12.6945' },
};

/** Counts rows that a rejected POST must not have added. */
export async function counts(ctx: AppContext) {
  const c = await ctx.db.selectFrom('cases').select(ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const r = await ctx.db.selectFrom('reporters').select(ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const e = await ctx.db.selectFrom('case_events').select(ctx.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { cases: Number(c.n), reporters: Number(r.n), events: Number(e.n) };
}
