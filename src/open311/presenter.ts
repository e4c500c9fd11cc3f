import type { ServiceAttribute } from '../db/types.js';
import { OPEN311_STATUS } from '../cases/states.js';
import type { listPublicNotes, listPublicUpdates, listServicesOffered, RequestRow } from './repo.js';
import { FMS_STATUS_OF } from './statuses.js';
import { w3cTime, w3cTimeOfSeconds } from './format.js';

export type Locale = 'sv' | 'en';

/** `locale=en` (or en_GB, en-US) gives English names; everything else Swedish. */
export function localeOf(value: unknown): Locale {
  return typeof value === 'string' && /^en\b/i.test(value.replace('_', '-')) ? 'en' : 'sv';
}

type ServiceRow = Awaited<ReturnType<typeof listServicesOffered>>[number];

/** A service in the services list. */
export function presentService(s: ServiceRow, locale: Locale) {
  const keywords = locale === 'en' ? s.keywords_en : s.keywords_sv;
  return {
    service_code: s.service_code,
    service_name: locale === 'en' ? s.name_en : s.name_sv,
    description: (locale === 'en' ? s.description_en : s.description_sv) || null,
    metadata: s.attributes.some((a) => a.variable),
    type: 'realtime' as const,
    keywords: keywords.length ? keywords.join(',') : null,
    group: locale === 'en' ? s.group_name_en : s.group_name_sv,
  };
}

/** A service definition: its attributes in order, with allowed values for lists. */
export function presentDefinition(serviceCode: string, attributes: ServiceAttribute[], locale: Locale) {
  return {
    service_code: serviceCode,
    attributes: [...attributes]
      .sort((a, b) => a.order - b.order)
      .map((a) => ({
        variable: a.variable,
        code: a.code,
        datatype: a.datatype,
        required: a.required,
        datatype_description: a.datatype_description || null,
        order: a.order,
        description: locale === 'en' ? a.description_en : a.description_sv,
        ...(a.values ? { values: a.values.map((v) => ({ key: v.key, name: locale === 'en' ? v.name_en : v.name_sv })) } : {}),
      })),
  };
}

type NoteRow = Awaited<ReturnType<typeof listPublicNotes>>[number];

/**
 * A case as a GeoReport request. Never any reporter data; a service with sensitive locations (noise at
 * someone's home) shows no coordinates or address. `extensions` adds the CitySDK/common fields.
 */
export function presentRequest(row: RequestRow, extensions: { notes: NoteRow[] } | null) {
  const hidePlace = row.sensitive_location;
  const closed = OPEN311_STATUS[row.status] === 'closed';
  const base = {
    service_request_id: row.public_id,
    status: OPEN311_STATUS[row.status],
    status_notes: row.status_notes ?? null,
    service_name: row.service_name,
    service_code: row.service_code,
    description: row.description || null,
    agency_responsible: row.agency,
    service_notice: row.service_notice ?? null,
    requested_datetime: w3cTimeOfSeconds(row.requested_at),
    updated_datetime: w3cTimeOfSeconds(closed ? (row.closed_at ?? row.updated_at) : row.updated_at),
    expected_datetime: w3cTimeOfSeconds(row.sla_due_at),
    address: hidePlace ? null : row.address,
    address_id: null,
    zipcode: hidePlace ? null : row.postal_code,
    lat: hidePlace ? null : row.lat,
    long: hidePlace ? null : row.lon,
    media_url: row.media_url,
  };
  if (!extensions) return base;
  return {
    ...base,
    title: row.title,
    detailed_status: FMS_STATUS_OF[row.status],
    media_urls: row.media_url ? [row.media_url] : [],
    notes: extensions.notes.map((n) => ({ datetime: w3cTime(n.created_at), description: n.body, type: n.status_after ? 'status' : 'comment' })),
  };
}

type UpdateRow = Awaited<ReturnType<typeof listPublicUpdates>>[number];

/** A public case event as a FixMyStreet request_update. */
export function presentUpdate(row: UpdateRow) {
  return {
    update_id: String(row.id),
    service_request_id: row.public_id,
    status: row.status_then ? FMS_STATUS_OF[row.status_then] : 'OPEN',
    updated_datetime: w3cTime(row.created_at),
    description: row.body ?? '',
    media_url: null,
    external_status_code: row.status_then ?? null,
  };
}
