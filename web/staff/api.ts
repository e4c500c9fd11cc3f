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
  /** The number on the pole or bin the case is about. */
  asset_code?: string | null;
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
  events: (CaseEvent & { case_public_id?: string })[];
  attachments: Attachment[];
  resolved_at_first_contact?: boolean;
  duplicate_of: { id: number; public_id: string } | null;
  asset: CaseAsset | null;
  allowed_transitions: string[];
  duplicate_candidates: (CaseSummary & { distance_m: number })[];
}

/** The asset (street light, bin…) a case is about. */
export interface CaseAsset {
  id: number;
  code: string;
  type: string;
  name_sv: string;
  name_en: string;
}

export interface QueueResult {
  cases: CaseSummary[];
  total: number;
  counts: { by_status: Record<string, number>; at_risk: number; breached: number };
  next_cursor: string | null;
}

interface Person {
  id: number;
  name: string;
}

/** A queue item as the server sends it (src/cases/schema.ts QueueItem). */
type QueueItem = Omit<CaseSummary, 'assignee_user_id' | 'assignee_name' | 'contractor_organisation_id' | 'contractor_name'> & {
  assignee: Person | null;
  contractor: Person | null;
};

let municipalityNamesPromise: Promise<Map<string, string>> | null = null;

/** Municipality names by kommunkod (290 of them, fetched once; the case API sends only the code). */
function municipalityNames(): Promise<Map<string, string>> {
  municipalityNamesPromise ??= api<{ municipalities: { code: string; name: string }[] }>('/api/public/municipalities')
    .then((r) => new Map(r.municipalities.map((m) => [m.code, m.name])))
    .catch(() => new Map());
  return municipalityNamesPromise;
}

/** Flattens the server's {assignee, contractor} objects into the row the pages use. */
function row(i: QueueItem, names: Map<string, string>): CaseSummary {
  return {
    ...i,
    municipality_name: names.get(i.municipality_code) ?? i.municipality_code,
    assignee_user_id: i.assignee?.id ?? null,
    assignee_name: i.assignee?.name ?? null,
    contractor_organisation_id: i.contractor?.id ?? null,
    contractor_name: i.contractor?.name ?? null,
  };
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
  datatype?: string;
  variable?: boolean;
  required?: boolean;
  description?: string;
  description_sv?: string;
  description_en?: string;
  values?: { key: string; name?: string; name_sv?: string; name_en?: string }[];
}

export interface Assignees {
  units: { id: number; name_sv: string; name_en: string; is_default: boolean }[];
  users: { id: number; display_name: string; role?: string }[];
  contractors: { id: number; name_sv: string; name_en: string }[];
}

export interface SavedView {
  id: number;
  name: string;
  filters: Record<string, string | string[] | number | number[] | boolean>;
  shared: boolean;
  mine?: boolean;
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
export async function listCases(filters: Record<string, string>): Promise<QueueResult> {
  const [r, names] = await Promise.all([
    api<Omit<QueueResult, 'cases'> & { items: QueueItem[] }>(`/api/staff/cases${qs({ limit: 50, ...filters })}`), municipalityNames()]);
  return { ...r, cases: r.items.map((i) => row(i, names)) };
}

/** The filtered cases as map points (all of them, not only the listed page). */
export const casePoints = (filters: Record<string, string>) =>
  api<{ points: { id: number; public_id: string; status: string; priority: number; service_code: string; lat: number; lon: number }[]; truncated: boolean }>(
    `/api/staff/cases/map${qs(filters)}`);

interface DetailResponse {
  case: QueueItem & {
    organisation: Person; attributes: Record<string, unknown>; resolved_at_first_contact: boolean; duplicate_of: { id: number; public_id: string } | null; asset: CaseAsset | null;
  };
  routing: { explanation_sv: string; explanation_en: string; kind: string; reference: string | null; located_by: string };
  reporter: Reporter | null;
  reporter_visible: boolean;
  allowed_transitions: string[];
  timeline: (Omit<CaseEvent, 'actor_label'> & { actor: string | null; case_public_id: string })[];
  attachments: Attachment[];
  duplicate_candidates: (CaseSummary & { distance_m: number })[];
}

/** One case with its timeline, by id or case number. */
export async function getCase(ref: string | number): Promise<CaseDetail> {
  const [r, names] = await Promise.all([api<DetailResponse>(`/api/staff/cases/${enc(String(ref))}`), municipalityNames()]);
  return {
    ...row(r.case, names),
    organisation_id: r.case.organisation.id,
    organisation_name: r.case.organisation.name,
    attributes: r.case.attributes,
    resolved_at_first_contact: r.case.resolved_at_first_contact,
    duplicate_of: r.case.duplicate_of,
    asset: r.case.asset,
    routing: r.routing,
    reporter: r.reporter_visible ? r.reporter : null,
    allowed_transitions: r.allowed_transitions,
    events: r.timeline.map((e) => ({ ...e, actor_label: e.actor })),
    attachments: r.attachments,
    duplicate_candidates: r.duplicate_candidates,
  };
}
interface Meta {
  services: Service[];
  statuses: { code: string; transitions: string[] }[];
}
let meta: Promise<Meta> | null = null;

function fetchMeta(): Promise<Meta> {
  meta ??= api<Meta>('/api/staff/meta');
  meta.catch(() => {
    meta = null;
  });
  return meta;
}

/** The services with their extra questions (from /api/staff/meta, fetched once per page load). */
export const services = (): Promise<Service[]> => fetchMeta().then((m) => m.services);

/** The server's transition table: the states each state may move to. */
export const transitions = (): Promise<Record<string, string[]>> =>
  fetchMeta().then((m) => Object.fromEntries(m.statuses.map((s) => [s.code, s.transitions])));
export const assignees = () => api<Assignees>('/api/staff/assignees');
/** Every organisation, for forwarding a case to another body. */
export const organisations = () =>
  api<{ organisations: { id: number; name_sv: string; name_en: string; kind: string }[] }>('/api/staff/organisations').then((r) => r.organisations);

/** One action on a case; `version` is the optimistic lock the server checks. */
export const caseAction = (id: number, action: string, body: Record<string, unknown>) =>
  api<{ id: number; public_id: string; version: number; status: string }>(`/api/staff/cases/${id}/${action}`, { method: 'POST', body });

/** Uploads a photo to a case. */
export function uploadPhoto(id: number, version: number, file: File, visibility: 'internal' | 'public'): Promise<unknown> {
  const form = new FormData();
  form.append('expected_version', String(version));
  form.append('visibility', visibility);
  form.append('photo', file);
  return api(`/api/staff/cases/${id}/photos`, { method: 'POST', body: form });
}

export const listViews = () => api<{ views: SavedView[] }>('/api/staff/views');
export const saveView = (name: string, filters: Record<string, string>, shared = false) =>
  api<SavedView>('/api/staff/views', { method: 'POST', body: { name, filters, shared } });
export const deleteView = (id: number) => api(`/api/staff/views/${id}`, { method: 'DELETE' });

/** Contact centre: open cases near a place (same service first), for "already reported". */
export interface NearbyCase {
  id: number;
  public_id: string;
  status: string;
  service_code: string;
  service_name_sv: string;
  service_name_en: string;
  description: string;
  address: string | null;
  distance_m: number;
  in_scope: boolean;
}
export const nearbyCases = (lat: number, lon: number, serviceCode?: string) =>
  api<{ items: NearbyCase[] } | NearbyCase[]>(`/api/staff/cases/nearby${qs({ lat, lon, service: serviceCode })}`).then((r) => (Array.isArray(r) ? r : r.items));
/** What registering a caller's case answers. */
export interface Registered {
  id: number;
  public_id: string;
  status: string;
  resolved_at_first_contact: boolean;
  organisation: Person;
  routing: { explanation_sv: string; explanation_en: string };
  /** False when routed to another body: the agent cannot open it. */
  in_scope: boolean;
  possible_duplicates: NearbyCase[];
}
export const registerCase = (body: Record<string, unknown>) => api<Registered>('/api/staff/cases', { method: 'POST', body });
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
/** A contractor's work orders: open ones by due time, or (done) those reported done or closed. */
export async function workOrders(done = false): Promise<QueueResult> {
  const [r, names] = await Promise.all([
    api<Omit<QueueResult, 'cases'> & { items: QueueItem[] }>(`/api/staff/contractor/orders${qs({ done: done ? 'true' : undefined })}`), municipalityNames()]);
  return { ...r, cases: r.items.map((i) => row(i, names)) };
}
export function reportDone(id: number, version: number, note: string, photo: File | null): Promise<unknown> {
  const form = new FormData();
  form.append('expected_version', String(version));
  form.append('note', note);
  if (photo) form.append('photo', photo);
  return api(`/api/staff/cases/${id}/done`, { method: 'POST', body: form });
}

/** Municipality boundaries for the offline basemap (GeoJSON), when the server offers them. */
export const boundary = (code: string) => api<GeoJSON.FeatureCollection>(`/api/public/boundaries${qs({ municipality: code })}`);
