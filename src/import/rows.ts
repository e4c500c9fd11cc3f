import crypto from 'node:crypto';
import type { CopyColumn, CopyType } from '../perf/copy.js';
import type { PreparedCase } from './prepare.js';

const columns = (spec: string): CopyColumn[] => spec.trim().split(/\s*,\s*/).map((c) => {
  const [name, type] = c.split(' ');
  return { name, type: type as CopyType };
});

/** The columns of cases an import fills, in the order of caseAndEvents. */
export const CASE_COLUMNS = columns(`id int8, public_id text, organisation_id int4, unit_id int4, municipality_code text, service_id int4,
  status text, priority int2, channel text, title text, description text, lat float8, lon float8, address text, postal_code text,
  responsibility_id int4, routing jsonb, reporter_id int8, sla_due_at timestamptz, requested_at timestamptz, updated_at timestamptz,
  closed_at timestamptz, external_source text, external_id text, follow_token text, as_received jsonb`);

/** The columns of case_events, in the order of caseAndEvents. */
export const EVENT_COLUMNS = columns(`case_id int8, organisation_id int4, kind text, visibility text, actor_label text, body text,
  status_after text, data jsonb, created_at timestamptz`);

/** The columns of reporters, in the order of reporterRow. */
export const REPORTER_COLUMNS = columns('id int8, organisation_id int4, name text, email text, phone text');

const TOKEN_BYTES = 18;

/** Turns prepared cases of one source into rows (values in column order); the JSON that repeats is written once. */
export class RowBuilder {
  private createdData = new Map<string, string>();
  private stateData = new Map<string, string>();
  private readonly receivedStart: string;

  constructor(private readonly source: string) {
    this.receivedStart = `{"imported_from":{"source":${JSON.stringify(source)},"line":`;
  }

  /** Follow tokens for n cases (the citizen's secret link, made as CaseService makes them), from one random buffer. */
  followTokens(n: number): string[] {
    const random = crypto.randomBytes(TOKEN_BYTES * n);
    return Array.from({ length: n }, (_, i) => random.toString('base64url', i * TOKEN_BYTES, (i + 1) * TOKEN_BYTES));
  }

  /**
   * The case and its events. The routing record is the shared decision with how the place was found and when the
   * case came in (as CaseService stores it); the source file's name and line are the as-received record. Events:
   * "created", whose body is the routing explanation (also stored on the case), and, unless the case is still
   * submitted, one for its historical state at the time it was closed or last changed.
   */
  caseAndEvents(c: PreparedCase, id: number, publicId: string, reporterId: number | null, token: string): [unknown[], unknown[][]] {
    const d = c.decision;
    const l = c.location;
    const routing = `${c.decision_json},"located_by":"${c.located_by}","decided_at":"${c.requested_at.toISOString()}"}`;
    const received = `${this.receivedStart}${c.line},"external_id":${JSON.stringify(c.external_id)}}}`;
    const kase = [id, publicId, d.provider_organisation_id, d.unit_id, c.municipality_code, c.service.id, c.status, c.service.default_priority,
      c.channel, c.title, c.description, l.lat, l.lon, l.address, l.postal_code, d.responsibility_id, routing, reporterId, c.sla_due_at,
      c.requested_at, c.updated_at, c.closed_at, this.source, c.external_id, token, received];
    let created = this.createdData.get(c.channel);
    if (!created) this.createdData.set(c.channel, (created = JSON.stringify({ channel: c.channel, imported_from: this.source })));
    const events: unknown[][] = [[id, d.provider_organisation_id, 'created', 'public', 'import', d.explanation_sv, 'submitted', created, c.requested_at]];
    if (c.status !== 'submitted') {
      let state = this.stateData.get(c.status);
      if (!state) this.stateData.set(c.status, (state = JSON.stringify({ before: 'submitted', after: c.status, imported: true })));
      events.push([id, d.provider_organisation_id, 'status_changed', 'public', 'import', null, c.status, state, c.closed_at ?? c.updated_at]);
    }
    return [kase, events];
  }

  /** The reporter of a case that names one (kept apart from the case). */
  reporterRow(c: PreparedCase, id: number): unknown[] {
    const r = c.reporter!;
    return [id, c.decision.provider_organisation_id, r.name, r.email, r.phone];
  }
}
