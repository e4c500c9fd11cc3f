import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { UsageError } from '../cli/registry.js';
import type { Field, ImportMapping } from './mapping.js';
import type { SourceRecord } from './prepare.js';
import { readCsv } from './csv-reader.js';
import { parseCsv } from '../shared/csv.js';

/** Records of a source and how far through it the reader is (for the progress bar). */
export interface Source {
  name: string;
  total: number;
  records: AsyncGenerator<SourceRecord & { progress: number }>;
}

/** Streams a CSV file (UTF-8, header row, comma or semicolon) through the mapping's columns, with line numbers. */
export function csvSource(file: string, mapping: ImportMapping): Source {
  if (!fs.existsSync(file)) throw new UsageError(`cannot read ${file}`);
  if (!mapping.columns.id) throw new UsageError('--map: the id column is required (a re-run then skips what is already imported)');
  const head = Buffer.alloc(65_536);
  const fd = fs.openSync(file, 'r');
  const got = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const firstLine = head.subarray(0, got).toString('utf8').split(/\r?\n/)[0].replace(/^\uFEFF/, '');
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const header = (parseCsv(delimiter === ';' ? firstLine.replace(/;/g, ',') : firstLine)[0] ?? []).map((h) => h.trim());
  for (const [field, column] of Object.entries(mapping.columns)) {
    if (!header.includes(column!)) throw new UsageError(`--map: ${field}=${column}: the file has no column "${column}" (columns: ${header.join(', ')})`);
  }
  async function* records() {
    const columns = Object.entries(mapping.columns).map(([field, column]) => [field as Field, header.indexOf(column!)] as const);
    let headerSeen = false;
    for await (const record of readCsv(fs.createReadStream(file, { highWaterMark: 1 << 20 }), delimiter)) {
      if (!headerSeen) {
        headerSeen = true;
        continue;
      }
      const fields: Partial<Record<Field, string>> = {};
      for (const [field, index] of columns) fields[field] = record.fields[index];
      yield { line: record.line, fields, progress: record.bytes };
    }
  }
  return { name: path.basename(file), total: fs.statSync(file).size, records: records() };
}

type Open311Request = Record<string, unknown>;

function asText(v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  return String(v);
}

/** Parses an Open311 GeoReport v2 requests document (XML, a bare JSON array, or FixMyStreet's wrapped JSON). */
export function parseOpen311(text: string): Open311Request[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('<')) {
    const doc = new XMLParser({ ignoreAttributes: true, ignoreDeclaration: true, parseTagValue: false, isArray: (name) => name === 'request' }).parse(trimmed);
    return (doc?.service_requests?.request ?? []) as Open311Request[];
  }
  const json = JSON.parse(trimmed) as unknown;
  if (Array.isArray(json)) return json as Open311Request[];
  const wrapped = (json as Record<string, unknown>).service_requests ?? (json as Record<string, unknown>).requests;
  if (Array.isArray(wrapped)) return wrapped as Open311Request[];
  throw new UsageError('--from-open311: the document holds no service requests');
}

/** Reads an Open311 server (its requests.json, or the URL as given) or a recorded dump, mapped onto our fields. */
export async function open311Source(location: string, mapping: ImportMapping): Promise<Source> {
  let text: string;
  let name: string;
  if (/^https?:\/\//.test(location)) {
    const url = /requests\.(json|xml)/.test(location) ? location : `${location.replace(/\/?$/, '/')}requests.json`;
    const res = await fetch(url, { headers: { accept: 'application/json, text/xml' }, signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new UsageError(`--from-open311: ${url} answered ${res.status}`);
    text = await res.text();
    name = new URL(url).host;
  } else {
    if (!fs.existsSync(location)) throw new UsageError(`--from-open311: cannot read ${location}`);
    text = fs.readFileSync(location, 'utf8');
    name = path.basename(location);
  }
  let requests: Open311Request[];
  try {
    requests = parseOpen311(text);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--from-open311: not an Open311 requests document (${(error as Error).message})`);
  }
  async function* records() {
    for (const [i, r] of requests.entries()) {
      const status = asText(r.status);
      const fields: Partial<Record<Field, string>> = {
        id: asText(r.service_request_id),
        category: asText(r.service_code) ?? asText(r.service_name),
        description: asText(r.description),
        title: asText(r.title),
        lat: asText(r.lat),
        long: asText(r.long),
        address: asText(r.address),
        postal_code: asText(r.zipcode),
        created: asText(r.requested_datetime),
        updated: asText(r.updated_datetime),
        closed: status === 'closed' ? asText(r.closed_date) ?? asText(r.updated_datetime) : undefined,
        status,
        channel: 'open311',
      };
      yield { line: i + 1, fields, progress: i + 1 };
    }
  }
  return { name: `open311:${name}`, total: requests.length, records: records() };
}
