// The staff API as the app uses it: one function per endpoint, so a change of path or shape on the server
// is one edit here. Shapes follow src/cases/routes*.ts and src/staff/routes.ts.
import { api, setCsrfToken } from '../shared/api.js';

export type Role = 'agent' | 'handler' | 'supervisor' | 'admin' | 'contractor';
export type Channel = 'web' | 'open311' | 'phone' | 'email' | 'visit' | 'alarm' | 'import' | string;

export interface Membership {
  organisation_id: number;
  organisation_name_sv: string;
  organisation_name_en: string;
  organisation_kind: string;
  role: Role;
}

export interface Me {
  user: { id: number; email: string; display_name: string; locale: string };
  organisation_id: number;
  role: Role;
  csrf_token: string;
  memberships: Membership[];
}

export type SlaState = 'ok' | 'due_soon' | 'at_risk' | 'breached' | 'none' | string;

/** One row of the queue. */
export interface CaseSummary {
  id: number;
  public_id: string;
  status: string;
  service_code: string;
  service_name_sv?: string;
  service_name_en?: string;
  priority: number;
  channel: Channel;
  title?: string | null;
  description: string;
  address: string | null;
  municipality_code: string;
  municipality_name?: string;
  lat: number | null;
  lon: number | null;
  sla_due_at: string | null;
  sla_state?: SlaState;
  assignee_user_id: number | null;
  assignee_name?: string | null;
  contractor_organisation_id: number | null;
  contractor_name?: string | null;
  requested_at: string;
  updated_at: string;
  version: number;
}

export interface CaseEvent {
  id: number;
  kind: string;
  visibility: 'internal' | 'public' | string;
  actor_label: string | null;
  body: string | null;
  status_after: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

export interface Attachment {
  id: number;
  url: string;
  content_type: string;
  created_at?: string;
  visibility?: string;
}

export interface Reporter {
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface CaseDetail extends CaseSummary {
  routing: { explanation_sv?: string; explanation_en?: string; [k: string]: unknown };
  organisation_id: number;
  organisation_name?: string;
  attributes?: Record<string, unknown>;
  reporter?: Reporter | null;
  events: CaseEvent[];
  attachments: Attachment[];
  resolved_at_first_contact?: boolean;
  duplicate_of_case_id?: number | null;
  updated_by?: string | null;
}

export interface QueueResult {
  cases: CaseSummary[];
  total: number;
  counts?: Record<string, number>;
}

export interface Service {
  service_code: string;
  name_sv: string;
  name_en: string;
  group?: string;
  default_priority?: number;
  attributes?: ServiceAttribute[];
}

/** An extra question of a service (Open311 attribute). */
export interface ServiceAttribute {
  code: string;
  variable?: boolean;
  required?: boolean;
  description?: string;
  description_sv?: string;
  description_en?: string;
  values?: { key: string; name?: string; name_sv?: string; name_en?: string }[];
}

export interface Assignees {
  users: { id: number; display_name: string; role?: string }[];
  contractors: { id: number; name_sv: string; name_en: string }[];
}

export interface SavedView {
  id: number;
  name: string;
  filters: Record<string, string>;
  shared: boolean;
}

export interface KnowledgeAnswer {
  id?: number | string;
  service_code: string;
  question_sv?: string;
  question_en?: string;
  answer_sv: string;
  answer_en: string;
  title_sv?: string;
  title_en?: string;
}

const enc = encodeURIComponent;
const qs = (params: Record<string, string | number | undefined | null>): string => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
};

/** Signs in and remembers the CSRF token. */
export async function login(email: string, password: string): Promise<Me> {
  const me = await api<Me>('/api/staff/login', { method: 'POST', body: { email, password } });
  setCsrfToken(me.csrf_token);
  return me;
}

/** The signed-in person, or null when not signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('/api/staff/me');
    setCsrfToken(me.csrf_token);
    return me;
  } catch {
    return null;
  }
}

export const logout = () => api('/api/staff/logout', { method: 'POST', body: {} });
export const switchOrganisation = (organisationId: number) => api('/api/staff/organisation', { method: 'POST', body: { organisation_id: organisationId } });

/** The queue: filters are passed through as query parameters. */
export const listCases = (filters: Record<string, string>) => api<QueueResult>(`/api/staff/cases${qs(filters)}`);
export const getCase = (id: string | number) => api<CaseDetail>(`/api/staff/cases/${enc(String(id))}`);
export const services = () => api<{ services: Service[] } | Service[]>('/api/staff/services').then((r) => (Array.isArray(r) ? r : r.services));
export const assignees = () => api<Assignees>('/api/staff/assignees');

/** One action on a case; `version` is the optimistic lock the server checks. */
export const caseAction = (id: number, action: string, body: Record<string, unknown>) =>
  api<CaseDetail>(`/api/staff/cases/${id}/${action}`, { method: 'POST', body });

/** Uploads a photo to a case. */
export function uploadPhoto(id: number, version: number, file: File): Promise<unknown> {
  const form = new FormData();
  form.append('expected_version', String(version));
  form.append('photo', file);
  return api(`/api/staff/cases/${id}/photos`, { method: 'POST', body: form });
}

export const listViews = () => api<{ views: SavedView[] }>('/api/staff/views');
export const saveView = (name: string, filters: Record<string, string>, shared = false) =>
  api<SavedView>('/api/staff/views', { method: 'POST', body: { name, filters, shared } });
export const deleteView = (id: number) => api(`/api/staff/views/${id}`, { method: 'DELETE' });

/** Contact centre. */
export const nearbyCases = (lat: number, lon: number, serviceCode?: string) =>
  api<{ cases: (CaseSummary & { distance_m?: number })[] }>(`/api/staff/cases/nearby${qs({ lat, lon, service_code: serviceCode })}`);
export const registerCase = (body: Record<string, unknown>) => api<CaseDetail>('/api/staff/cases', { method: 'POST', body });
export const addFollower = (id: number, body: Record<string, unknown>) => api(`/api/staff/cases/${id}/followers`, { method: 'POST', body });
export const knowledge = (serviceCode: string) =>
  api<{ answers: KnowledgeAnswer[] }>(`/api/staff/knowledge${qs({ service_code: serviceCode })}`);

/** A typed address or postal code resolved to its area (no street geocoder is reachable offline). */
export interface GeocodeHit {
  precision: 'postal_code' | 'locality' | 'municipality' | string;
  postal_code: string | null;
  locality: string | null;
  municipality_code: string;
  municipality_name: string;
  lat: number;
  lon: number;
}
export const geocode = (q: string) =>
  api<GeocodeHit[] | { results: GeocodeHit[] }>(`/api/public/geocode${qs({ q })}`).then((r) => (Array.isArray(r) ? r : r.results));

/** Contractor portal. */
export const workOrders = () => api<QueueResult>('/api/staff/work-orders');
export function reportDone(id: number, version: number, note: string, photo: File | null): Promise<unknown> {
  const form = new FormData();
  form.append('expected_version', String(version));
  form.append('note', note);
  if (photo) form.append('photo', photo);
  return api(`/api/staff/work-orders/${id}/done`, { method: 'POST', body: form });
}

/** Municipality boundaries for the offline basemap (GeoJSON), when the server offers them. */
export const boundaries = (codes: string[]) =>
  api<GeoJSON.FeatureCollection>(`/api/public/boundaries${qs({ codes: codes.join(',') })}`);
