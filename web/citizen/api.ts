// Typed calls to the public API (src/public/routes.ts). No log-in, no CSRF: nothing here acts for staff.
import { api } from '../shared/api.js';

export type Words = { sv: string; en: string };

export interface Attribute {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  description_sv: string;
  description_en: string;
  values?: { key: string; name_sv: string; name_en: string }[];
}
export interface Service {
  service_code: string;
  name_sv: string;
  name_en: string;
  description_sv: string;
  description_en: string;
  keywords_sv: string[];
  keywords_en: string[];
  attributes: Attribute[];
}
export interface Group { code: string; name_sv: string; name_en: string; services: Service[] }
export interface Municipality { code: string; name: string; slug: string; county_code: string; bbox: [number, number, number, number] | null }
export interface Place {
  precision: 'postal_code' | 'locality' | 'municipality';
  postal_code: string | null;
  locality: string | null;
  municipality_code: string;
  municipality_name: string;
  lat: number;
  lon: number;
  bbox: [number, number, number, number];
}
export interface CaseSummary {
  case_number: string;
  service_code: string;
  service: Words;
  status: string;
  status_label: Words;
  open: boolean;
  requested_at: string;
  updated_at: string;
  lat: number | null;
  lon: number | null;
  approximate: boolean;
  address: string | null;
  postal_code: string | null;
  excerpt: string;
  distance_m?: number | null;
}
export interface PublicCase extends CaseSummary {
  description: string;
  closed_at: string | null;
  sla_due_at: string | null;
  municipality: { code: string; name: string };
  organisation: Words;
  handled_because: Words;
  duplicate_of: string | null;
  photos: { url: string; width: number | null; height: number | null }[];
  timeline: { kind: string; status: string | null; status_label: Words | null; body: string | null; by: Words | null; at: string }[];
  reopen_until: string | null;
}
export interface Receipt {
  case_number: string;
  follow_path: string;
  case_path: string;
  status: string;
  organisation: Words;
  handled_because: Words;
  sla_due_at: string | null;
  photos: number;
  located_by: string;
}
export interface PublicConfig { map_tile_url: string | null; reopen_days: number; max_photos: number }

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? `?${text}` : '';
};

export const getConfig = () => api<PublicConfig>('/api/public/config');
export const getServices = () => api<{ groups: Group[] }>('/api/public/services');
export const getMunicipalities = () => api<{ municipalities: Municipality[] }>('/api/public/municipalities');
export const getMunicipality = (key: string) => api<Municipality>(`/api/public/municipalities/${encodeURIComponent(key)}`);
export const geocode = (text: string) => api<{ results: Place[] }>(`/api/public/geocode${q({ q: text })}`);
export const getBoundaries = (code?: string) => api<GeoJSON.FeatureCollection>(`/api/public/boundaries${q({ municipality: code })}`);
/** Assets in use of a category inside a map box (only asked for when zoomed in). */
export const getAssets = (bbox: [number, number, number, number], serviceCode: string) =>
  api<{ features: { geometry: { coordinates: [number, number] }; properties: { code: string; name?: string } }[] }>(
    `/api/public/assets${q({ bbox: bbox.map((v) => v.toFixed(5)).join(','), service_code: serviceCode })}`);
export const nearby = (p: { service_code: string; lat?: number; lon?: number; postal_code?: string }) =>
  api<{ radius_m: number | null; cases: CaseSummary[] }>(`/api/public/nearby${q(p)}`);
export const sendReport = (form: FormData, idempotencyKey: string) =>
  api<Receipt>('/api/public/reports', { method: 'POST', body: form, headers: { 'idempotency-key': idempotencyKey } });
export const getCase = (n: string) => api<PublicCase>(`/api/public/cases/${encodeURIComponent(n)}`);
export const getFollowed = (token: string) => api<PublicCase>(`/api/public/follow/${encodeURIComponent(token)}`);
export const reopen = (n: string, comment: string) => api<PublicCase>(`/api/public/cases/${encodeURIComponent(n)}/reopen`, { method: 'POST', body: { comment } });
export const subscribe = (n: string, email: string, locale: string) =>
  api<{ subscribed: boolean }>(`/api/public/cases/${encodeURIComponent(n)}/subscribe`, { method: 'POST', body: { email, locale } });
export const unsubscribe = (token: string) => api<{ case_number: string }>(`/api/public/unsubscribe/${encodeURIComponent(token)}`, { method: 'POST' });
export const listCases = (p: { municipality: string; service?: string; status?: string; limit?: number; before?: number }) =>
  api<{ open_count: number; cases: CaseSummary[]; next_before: number | null }>(`/api/public/cases${q(p)}`);
