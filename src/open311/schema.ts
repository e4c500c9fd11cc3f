import { Type } from '@fastify/type-provider-typebox';

// Request schemas for the OpenAPI description at /docs. Every field is optional here on purpose: the
// handlers check them in the spec's order (api_key → 403 first, then 404 / 400 naming the field).

const s = (description: string) => Type.Optional(Type.String({ description }));

export const COMMON_QUERY = Type.Object(
  {
    jurisdiction_id: s('Four-digit kommunkod, e.g. 1384 (Kungsbacka); unknown → 404'),
    locale: s('sv (default) or en: language of names, descriptions and errors'),
    api_key: s('Optional on reads'),
  },
  { additionalProperties: true },
);

export const REQUESTS_QUERY = Type.Object(
  {
    ...COMMON_QUERY.properties,
    service_request_id: s('Comma list of ids; overrides every other filter'),
    service_code: s('Comma list of service codes'),
    start_date: s('Requested at or after (W3C date-time); default the last 90 days'),
    end_date: s('Requested at or before (W3C date-time)'),
    status: s('open, closed (comma list)'),
    updated_after: s('Updated after (W3C date-time)'),
    updated_before: s('Updated before (W3C date-time)'),
    bbox: s('min_long,min_lat,max_long,max_lat (WGS84)'),
    lat: s('With long and radius: requests near a point'),
    long: s('With lat and radius'),
    radius: s('Metres, 1–100000 (default 1000)'),
    page: s('Page number, from 1'),
    page_size: s('Rows per page, 1–1000 (default 1000)'),
    extensions: s('true adds title, detailed_status, media_urls, notes and service_object_id/service_object_type'),
    service_object_id: s('CitySDK: requests about the asset with this code (e.g. a pole number)'),
    service_object_type: s('CitySDK: requests about assets of this type (street_light, pump_station, …)'),
  },
  { additionalProperties: true },
);

export const UPDATES_QUERY = Type.Object(
  {
    ...COMMON_QUERY.properties,
    start_date: s('From (W3C date-time); default 90 days before end_date'),
    end_date: s('To (W3C date-time); default now'),
    service_request_id: s('Comma list of request ids (optional)'),
  },
  { additionalProperties: true },
);

export const POST_REQUEST_BODY = Type.Object(
  {
    api_key: s('Required: the client application key'),
    jurisdiction_id: s('Required: four-digit kommunkod'),
    service_code: s('Required: see services'),
    lat: s('WGS84 latitude (with long)'),
    long: s('WGS84 longitude (with lat)'),
    address_string: s('Address, ideally with postal code (when there are no coordinates)'),
    address_id: s('Accepted only beside lat/long or address_string: Ingång has no address register'),
    'attribute[code]': s('Answer to a service question; attribute[code][] repeated for multivaluelist'),
    email: s('Reporter e-mail (never shown in any GET)'),
    device_id: s('Never shown'),
    account_id: s('Never shown'),
    first_name: s('Never shown'),
    last_name: s('Never shown'),
    phone: s('Never shown'),
    description: s('Plain text, at most 4000 characters'),
    title: s('Short title (CitySDK extension)'),
    service_object_id: s('CitySDK: code of the asset the request is about (its place fills a missing lat/long; its responsible organisation gets the case)'),
    service_object_type: s('CitySDK: asset type of service_object_id, e.g. street_light'),
    'attribute[asset_code]': s('The same as service_object_id, FixMyStreet style'),
    media_url: s('http(s) URL of a photo'),
    locale: s('sv or en'),
  },
  { additionalProperties: true },
);

export const POST_UPDATE_BODY = Type.Object(
  {
    api_key: s('Required; the key that created the request, or a key of the organisation handling it'),
    service_request_id: s('Required'),
    update_id: s('Required: the client\'s id of this update; posting it again changes nothing'),
    updated_datetime: s('Required: W3C date-time with zone'),
    status: s('Required: OPEN, CLOSED, FIXED, IN_PROGRESS, ACTION_SCHEDULED, INVESTIGATING, DUPLICATE, NOT_COUNCILS_RESPONSIBILITY, NO_FURTHER_ACTION, INTERNAL_REFERRAL, FOR_TRIAGE, CANCELLED, REOPEN'),
    description: s('Plain text'),
    media_url: s('http(s) URL'),
    first_name: s('Not stored'),
    last_name: s('Not stored'),
    email: s('Not stored'),
    phone: s('Not stored'),
  },
  { additionalProperties: true },
);
