import { OPEN311_STATUS, STATUS_LABELS } from '../cases/states.js';
import { csvLine } from './csv.js';
import { coarsen, redactText } from './redact.js';
import type { ExportRow } from './repo.js';

/** A case as published: personal data removed, sensitive locations coarsened. */
export interface PublicCase {
  service_request_id: string;
  municipality_code: string;
  service_code: string;
  service_name: string;
  status: 'open' | 'closed';
  detailed_status: string;
  status_description: string;
  title: string;
  description: string;
  agency_responsible: string;
  requested_datetime: string;
  updated_datetime: string;
  closed_date: string | null;
  expected_datetime: string | null;
  address: string | null;
  lat: number | null;
  long: number | null;
  location_precision: 'exact' | 'coarsened_500m' | 'none';
  source: string;
}

/**
 * Applies the publishing rules to a row: free text cleaned of e-mail addresses, phone numbers and personnummer;
 * for services with sensitive locations and confidential cases the point is snapped to a 500 m grid and the
 * address dropped; confidential cases also lose their free text.
 */
export function toPublicCase(row: ExportRow): PublicCase {
  const hide = row.sensitive_location || row.confidential;
  let lat = row.lat;
  let lon = row.lon;
  if (hide && lat !== null && lon !== null) ({ lat, lon } = coarsen(lat, lon));
  return {
    service_request_id: row.public_id,
    municipality_code: row.municipality_code,
    service_code: row.service_code,
    service_name: row.service_name_sv,
    status: OPEN311_STATUS[row.status],
    detailed_status: row.status,
    status_description: STATUS_LABELS[row.status].sv,
    title: row.confidential ? '' : redactText(row.title),
    description: row.confidential ? '' : redactText(row.description),
    agency_responsible: row.agency_name_sv,
    requested_datetime: row.requested_at.toISOString(),
    updated_datetime: row.updated_at.toISOString(),
    closed_date: row.closed_at?.toISOString() ?? null,
    expected_datetime: row.sla_due_at?.toISOString() ?? null,
    address: hide ? null : redactText(row.address) || null,
    lat,
    long: lon,
    location_precision: lat === null ? 'none' : hide ? 'coarsened_500m' : 'exact',
    source: row.channel,
  };
}

const CSV_COLUMNS: (keyof PublicCase)[] = ['service_request_id', 'municipality_code', 'service_code', 'service_name', 'status', 'detailed_status',
  'status_description', 'title', 'description', 'agency_responsible', 'requested_datetime', 'updated_datetime', 'closed_date', 'expected_datetime',
  'address', 'lat', 'long', 'location_precision', 'source'];

/** How each export format opens, writes a case and closes. */
export interface ExportFormat {
  contentType: string;
  extension: string;
  head: string;
  row(c: PublicCase, first: boolean): string;
  tail: string;
}

export const FORMATS: Record<'csv' | 'geojson' | 'open311', ExportFormat> = {
  csv: {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    head: '\uFEFF' + csvLine(CSV_COLUMNS),
    row: (c) => csvLine(CSV_COLUMNS.map((k) => c[k])),
    tail: '',
  },
  geojson: {
    contentType: 'application/geo+json; charset=utf-8',
    extension: 'geojson',
    head: '{"type":"FeatureCollection","license":"CC0-1.0","features":[\n',
    row: (c, first) => {
      const { lat, long, ...properties } = c;
      const geometry = lat === null || long === null ? null : { type: 'Point', coordinates: [long, lat] };
      return `${first ? '' : ',\n'}${JSON.stringify({ type: 'Feature', id: c.service_request_id, geometry, properties })}`;
    },
    tail: '\n]}\n',
  },
  open311: {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    head: '[\n',
    row: (c, first) => `${first ? '' : ',\n'}${JSON.stringify(c)}`,
    tail: '\n]\n',
  },
};
