import crypto from 'node:crypto';
import { copyNumber as num, copyText as text, copyTime as time } from '../perf/bulk-load.js';
import type { PreparedCase } from './prepare.js';

/** The columns of cases an import fills, in the order of caseAndEvents. */
export const CASE_COLUMNS = [
  'id', 'public_id', 'organisation_id', 'unit_id', 'municipality_code', 'service_id', 'status', 'priority', 'channel', 'title',
  'description', 'lat', 'lon', 'address', 'postal_code', 'responsibility_id', 'routing', 'reporter_id', 'sla_due_at', 'requested_at',
  'updated_at', 'closed_at', 'external_source', 'external_id', 'follow_token', 'as_received',
] as const;

/** The columns of case_events, in the order of caseAndEvents. */
export const EVENT_COLUMNS = ['case_id', 'organisation_id', 'kind', 'visibility', 'actor_label', 'body', 'status_after', 'data', 'created_at'] as const;

/** The columns of reporters, in the order of reporterLine. */
export const REPORTER_COLUMNS = ['id', 'organisation_id', 'name', 'email', 'phone'] as const;

const TOKEN_BYTES = 18;

/**
 * Turns prepared cases of one source into lines of COPY text (PGlite's path splits them back into values). What
 * repeats — the middle of each event line, per routing explanation, channel and state — is formatted once.
 */
export class LineBuilder {
  private createdMiddles = new Map<string, string>();
  private stateMiddles = new Map<string, string>();
  private decisionTexts = new Map<string, string>();
  private readonly sourceText: string;
  private readonly receivedStart: string;

  constructor(private readonly source: string) {
    this.sourceText = text(source);
    this.receivedStart = `{"imported_from":{"source":${JSON.stringify(source)},"line":`;
  }

  /** Follow tokens for n cases (the citizen's secret link, made as CaseService makes them), from one random buffer. */
  followTokens(n: number): string[] {
    const random = crypto.randomBytes(TOKEN_BYTES * n);
    return Array.from({ length: n }, (_, i) => random.toString('base64url', i * TOKEN_BYTES, (i + 1) * TOKEN_BYTES));
  }

  /**
   * The case and its events, as COPY lines. The routing record is the shared decision with how the place was
   * found and when the case came in (as CaseService stores it); the source file's name and line are the
   * as-received record. Events: "created", whose body is the routing explanation (also stored on the case), and,
   * unless the case is still submitted, one for its historical state at the time it was closed or last changed.
   */
  caseAndEvents(c: PreparedCase, id: number, publicId: string, reporterId: number | null, token: string): [string, string] {
    const d = c.decision;
    const l = c.location;
    let decision = this.decisionTexts.get(c.decision_json);
    if (decision === undefined) this.decisionTexts.set(c.decision_json, (decision = text(c.decision_json)));
    const requested = time(c.requested_at);
    const updated = time(c.updated_at);
    const closed = c.closed_at === c.updated_at ? updated : time(c.closed_at);
    const received = `${this.receivedStart}${c.line},"external_id":${JSON.stringify(c.external_id)}}}`;
    // Public ids, municipality codes, states, channels and tokens never hold characters COPY would escape.
    const kase = `${id}\t${publicId}\t${d.provider_organisation_id}\t${num(d.unit_id)}\t${c.municipality_code}\t${c.service.id}\t${c.status}\t` +
      `${c.service.default_priority}\t${c.channel}\t${text(c.title)}\t${text(c.description)}\t${num(l.lat)}\t${num(l.lon)}\t${text(l.address)}\t` +
      `${text(l.postal_code)}\t${num(d.responsibility_id)}\t${decision},"located_by":"${c.located_by}","decided_at":"${requested}"}\t` +
      `${num(reporterId)}\t${time(c.sla_due_at)}\t${requested}\t${updated}\t${closed}\t${this.sourceText}\t${text(c.external_id)}\t` +
      `${token}\t${text(received)}\n`;
    const start = `${id}\t${d.provider_organisation_id}\t`;
    const createdKey = `${c.channel}\u0000${d.explanation_sv}`;
    let created = this.createdMiddles.get(createdKey);
    if (!created) {
      const data = JSON.stringify({ channel: c.channel, imported_from: this.source });
      this.createdMiddles.set(createdKey, (created = `created\tpublic\timport\t${text(d.explanation_sv)}\tsubmitted\t${text(data)}\t`));
    }
    const events = `${start}${created}${requested}\n`;
    if (c.status === 'submitted') return [kase, events];
    let state = this.stateMiddles.get(c.status);
    if (!state) {
      const data = JSON.stringify({ before: 'submitted', after: c.status, imported: true });
      this.stateMiddles.set(c.status, (state = `status_changed\tpublic\timport\t\\N\t${c.status}\t${text(data)}\t`));
    }
    return [kase, `${events}${start}${state}${c.closed_at ? closed : updated}\n`];
  }

  /** The reporter of a case that names one (kept apart from the case). */
  reporterLine(c: PreparedCase, id: number): string {
    const r = c.reporter!;
    return `${id}\t${c.decision.provider_organisation_id}\t${text(r.name)}\t${text(r.email)}\t${text(r.phone)}\n`;
  }
}
