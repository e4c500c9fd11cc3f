import { parseXml } from './xml.js';
import type { Open311ErrorItem } from './format.js';

// A GeoReport v2 client. Real servers differ (San Francisco's namespaced XML with zone-less times and
// "Open", Bloomington and Chicago bare JSON, Toronto XML with empty elements, Mark-a-Spot's Cologne JSON
// with address_string/status_note, FixMyStreet's wrapped JSON): every parser below maps them onto one model.

export interface Open311Service {
  service_code: string;
  service_name: string | null;
  description: string | null;
  metadata: boolean;
  type: string | null;
  keywords: string[];
  group: string | null;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: string | null;
  required: boolean;
  datatype_description: string | null;
  order: number | null;
  description: string | null;
  values: { key: string; name: string | null }[];
}

export interface Open311Definition {
  service_code: string | null;
  attributes: Open311Attribute[];
}

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string | null;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: Date | null;
  updated_datetime: Date | null;
  expected_datetime: Date | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  title: string | null;
  detailed_status: string | null;
  media_urls: string[];
  notes: { datetime: Date | null; description: string | null; type: string | null }[];
}

export interface Open311Update {
  update_id: string | null;
  service_request_id: string | null;
  /** Lower case with underscores: open, closed, fixed, in_progress, not_councils_responsibility, … */
  status: string | null;
  updated_datetime: Date | null;
  description: string | null;
  media_url: string | null;
  external_status_code: string | null;
}

export interface Open311PostAnswer {
  service_request_id: string | null;
  token: string | null;
  service_notice: string | null;
  account_id: string | null;
}

export interface ParseOptions {
  /** IANA zone for times written without one (San Francisco writes "2012-05-22 23:57:23.97"); default UTC. */
  assumeTimeZone?: string;
}

type Raw = Record<string, unknown>;

function str(v: unknown): string | null {
  if (v === null || v === undefined || typeof v === 'object') return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function num(v: unknown): number | null {
  const s = str(v);
  if (s === null) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function bool(v: unknown): boolean {
  return v === true || str(v)?.toLowerCase() === 'true';
}

function zoneOffsetMinutes(at: number, timeZone: string): number {
  const name = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function date(v: unknown, options: ParseOptions): Date | null {
  const s = str(v);
  if (s === null) return null;
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(s);
  if (local) {
    const [, y, mo, d, h, mi, sec, frac] = local;
    const guess = Date.UTC(+y, +mo - 1, +d, +h, +mi, +(sec ?? 0), Math.round(Number(frac ?? 0) * 1000));
    const zone = options.assumeTimeZone ?? 'UTC';
    return new Date(guess - zoneOffsetMinutes(guess - zoneOffsetMinutes(guess, zone) * 60_000, zone) * 60_000);
  }
  const parsed = new Date(s);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** Items of a list however the dialect wraps it: a bare array, `{child: [...]}` from XML, or `{listName: [...]}`. */
function listOf(value: unknown, child: string, wrappers: string[] = []): Raw[] {
  if (Array.isArray(value)) return value as Raw[];
  if (!value || typeof value !== 'object') return [];
  const obj = value as Raw;
  if (child in obj) return listOf(obj[child], child);
  for (const w of wrappers) if (w in obj) return listOf(obj[w], child, wrappers);
  return [];
}

function strings(value: unknown, child: string): string[] {
  return (Array.isArray(value) ? value : listOf(value, child)).map(str).filter((s): s is string => s !== null);
}

/** Parses a body as JSON or XML, whichever it is (servers mislabel content types). */
function parseBody(body: string): unknown {
  const trimmed = body.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('<')) return parseXml(trimmed);
  return JSON.parse(trimmed);
}

function items(body: string, root: string, child: string, wrappers: string[] = []): Raw[] {
  const parsed = parseBody(body);
  if (Array.isArray(parsed)) return parsed as Raw[];
  const obj = (parsed ?? {}) as Raw;
  if (root in obj) return listOf(obj[root], child, wrappers);
  return listOf(obj, child, [root, ...wrappers]);
}

/** GET services, any dialect. */
export function parseServices(body: string): Open311Service[] {
  return items(body, 'services', 'service').map((s) => ({
    service_code: str(s.service_code) ?? '',
    service_name: str(s.service_name),
    description: str(s.description),
    metadata: bool(s.metadata),
    type: str(s.type),
    keywords: (str(s.keywords) ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    group: str(s.group),
  }));
}

/** GET services/{code}: the definition object. */
export function parseDefinition(body: string): Open311Definition {
  const parsed = parseBody(body) as Raw;
  const def = (parsed.service_definition ?? parsed) as Raw;
  return {
    service_code: str(def.service_code),
    attributes: listOf(def.attributes, 'attribute').map((a) => ({
      variable: bool(a.variable),
      code: str(a.code) ?? '',
      datatype: str(a.datatype),
      required: bool(a.required),
      datatype_description: str(a.datatype_description),
      order: num(a.order),
      description: str(a.description),
      values: listOf(a.values, 'value').map((v) => ({ key: str(v.key) ?? '', name: str(v.name) })),
    })),
  };
}

/** GET requests and requests/{id}, any dialect; the zero point (0, 0) some servers write for "unknown" becomes null. */
export function parseRequests(body: string, options: ParseOptions = {}): Open311Request[] {
  return items(body, 'service_requests', 'request', ['requests']).map((r) => {
    let lat = num(r.lat);
    let long = num(r.long ?? r.lon);
    if (lat === 0 && long === 0) lat = long = null;
    return {
      service_request_id: str(r.service_request_id) ?? '',
      status: str(r.status)?.toLowerCase() === 'closed' ? 'closed' : 'open',
      status_notes: str(r.status_notes ?? r.status_note),
      service_name: str(r.service_name),
      service_code: str(r.service_code),
      description: str(r.description),
      agency_responsible: str(r.agency_responsible),
      service_notice: str(r.service_notice),
      requested_datetime: date(r.requested_datetime, options),
      updated_datetime: date(r.updated_datetime, options),
      expected_datetime: date(r.expected_datetime, options),
      address: str(r.address ?? r.address_string),
      address_id: str(r.address_id),
      zipcode: str(r.zipcode),
      lat,
      long,
      media_url: str(r.media_url),
      title: str(r.title),
      detailed_status: str(r.detailed_status),
      media_urls: strings(r.media_urls, 'media_url'),
      notes: listOf(r.notes, 'note').map((n) => ({ datetime: date(n.datetime, options), description: str(n.description), type: str(n.type) })),
    };
  });
}

/** GET servicerequestupdates (FixMyStreet's extension). */
export function parseUpdates(body: string, options: ParseOptions = {}): Open311Update[] {
  return items(body, 'service_request_updates', 'request_update', ['request_updates']).map((u) => ({
    update_id: str(u.update_id),
    service_request_id: str(u.service_request_id),
    status: str(u.status)?.toLowerCase().replace(/[\s-]+/g, '_') ?? null,
    updated_datetime: date(u.updated_datetime, options),
    description: str(u.description),
    media_url: str(u.media_url),
    external_status_code: str(u.external_status_code),
  }));
}

/** The answer to POST requests: a service_request_id or a token to resolve later. */
export function parsePostAnswer(body: string): Open311PostAnswer {
  const [first] = items(body, 'service_requests', 'request');
  return {
    service_request_id: str(first?.service_request_id),
    token: str(first?.token),
    service_notice: str(first?.service_notice),
    account_id: str(first?.account_id),
  };
}

/** Spec-form errors from either format; an unparseable body yields one error with its start. */
export function parseErrors(body: string): Open311ErrorItem[] {
  try {
    return items(body, 'errors', 'error').map((e) => ({ code: num(e.code) ?? 0, description: str(e.description) ?? '' }));
  } catch {
    return [{ code: 0, description: body.slice(0, 200) }];
  }
}

/** A remote server answered with an error status. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly errors: Open311ErrorItem[],
  ) {
    super(`Open311 ${status}: ${errors.map((e) => e.description).join('; ') || 'no description'}`);
    this.name = 'Open311Error';
  }
}

export interface ClientOptions {
  /** Base URL ending in "/", e.g. https://example.org/open311/v2/ */
  endpoint: string;
  jurisdiction_id?: string | null;
  api_key?: string | null;
  format?: 'xml' | 'json';
  timeoutMs?: number;
  parse?: ParseOptions;
}

type Params = Record<string, string | string[] | undefined>;

/** Talks GeoReport v2 to one endpoint. Like FixMyStreet, it sends api_key only on writes and on the update feed. */
export class Open311Client {
  private readonly endpoint: string;
  private readonly format: 'xml' | 'json';

  constructor(private readonly options: ClientOptions) {
    this.endpoint = options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`;
    this.format = options.format ?? 'xml';
  }

  private url(resource: string, params: Params = {}): string {
    const search = new URLSearchParams();
    if (this.options.jurisdiction_id) search.set('jurisdiction_id', this.options.jurisdiction_id);
    for (const [k, v] of Object.entries(params)) for (const value of v === undefined ? [] : Array.isArray(v) ? v : [v]) search.append(k, value);
    const query = search.toString();
    return `${this.endpoint}${resource}.${this.format}${query ? `?${query}` : ''}`;
  }

  private async call(method: 'GET' | 'POST', resource: string, params: Params = {}, idempotencyKey?: string): Promise<string> {
    const signal = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    let response: Response;
    if (method === 'GET') {
      response = await fetch(this.url(resource, params), { signal });
    } else {
      const body = new URLSearchParams();
      if (this.options.jurisdiction_id) body.set('jurisdiction_id', this.options.jurisdiction_id);
      if (this.options.api_key) body.set('api_key', this.options.api_key);
      for (const [k, v] of Object.entries(params)) for (const value of v === undefined ? [] : Array.isArray(v) ? v : [v]) body.append(k, value);
      response = await fetch(`${this.endpoint}${resource}.${this.format}`, {
        method, body, signal, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      });
    }
    const text = await response.text();
    if (!response.ok) throw new Open311Error(response.status, parseErrors(text));
    return text;
  }

  /** GET services. */
  async services(): Promise<Open311Service[]> {
    return parseServices(await this.call('GET', 'services'));
  }

  /** GET services/{code}. */
  async definition(serviceCode: string): Promise<Open311Definition> {
    return parseDefinition(await this.call('GET', `services/${encodeURIComponent(serviceCode)}`));
  }

  /** GET requests with filters (start_date, status, service_code, …). */
  async requests(params: Params = {}): Promise<Open311Request[]> {
    return parseRequests(await this.call('GET', 'requests', params), this.options.parse);
  }

  /** GET requests/{id}. */
  async request(id: string): Promise<Open311Request | undefined> {
    return parseRequests(await this.call('GET', `requests/${encodeURIComponent(id)}`), this.options.parse)[0];
  }

  /** GET tokens/{token}: the request id once the server has made one. */
  async token(token: string): Promise<string | null> {
    return parsePostAnswer(await this.call('GET', `tokens/${encodeURIComponent(token)}`)).service_request_id;
  }

  /**
   * POST requests with GeoReport fields (attributes as literal `attribute[code]` keys). An Idempotency-Key
   * header lets a receiver that honours it (Ingång does) turn a retried delivery into the same request.
   */
  async postRequest(fields: Params, idempotencyKey?: string): Promise<Open311PostAnswer> {
    return parsePostAnswer(await this.call('POST', 'requests', fields, idempotencyKey));
  }

  /** GET servicerequestupdates in a window (FixMyStreet's extension); times are sent as UTC without fractions. */
  async updates(window: { start: Date; end: Date; service_request_id?: string[] }): Promise<Open311Update[]> {
    // Whole seconds, widened outwards so that nothing at the window's edges is lost.
    const w3c = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return parseUpdates(await this.call('GET', 'servicerequestupdates', {
      api_key: this.options.api_key ?? '',
      start_date: w3c(Math.floor(window.start.getTime() / 1000) * 1000),
      end_date: w3c(Math.ceil(window.end.getTime() / 1000) * 1000),
      service_request_id: window.service_request_id?.join(','),
    }), this.options.parse);
  }

  /** POST servicerequestupdates; returns the server's update_id. */
  async postUpdate(fields: Params): Promise<string | null> {
    return str(parseUpdates(await this.call('POST', 'servicerequestupdates', fields))[0]?.update_id);
  }
}
