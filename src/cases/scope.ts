import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Role } from '../db/types.js';

/** Whose eyes a case query runs for: the active organisation and the person's role in it. */
export interface CaseScope {
  organisationId: number;
  role: Role;
}

/** Who made a change, as stored on the event. */
export interface CaseActor {
  user_id: number | null;
  organisation_id: number | null;
  label: string;
}

/** A signed-in staff member as the case module needs them: scope plus actor. */
export interface StaffActor extends CaseScope {
  userId: number;
  label: string;
}

/** The actor columns of an event made by a staff member. */
export function actorOf(staff: StaffActor): CaseActor {
  return { user_id: staff.userId, organisation_id: staff.organisationId, label: staff.label };
}

/**
 * THE scoping rule, used by every staff query on cases (queue, case page, locks for changes,
 * attachments, duplicates): a contractor sees the work orders given to its organisation and the cases its
 * organisation is itself responsible for (an asset's responsibility routes a report on a pole straight to its
 * lighting contractor); everyone else sees the cases their organisation is responsible for (its own and those
 * routed to it by agreements). Anything else is "not found", never another body's data.
 */
export function scopeSql(scope: CaseScope): RawBuilder<SqlBool> {
  if (scope.role === 'contractor') {
    return sql<SqlBool>`(cases.contractor_organisation_id = ${scope.organisationId} or cases.organisation_id = ${scope.organisationId})`;
  }
  return sql<SqlBool>`cases.organisation_id = ${scope.organisationId}`;
}

/**
 * Read scoping: the same as scopeSql, plus the cases this organisation forwarded or re-routed to another
 * body (case_access), so the whole history stays visible to both. Changes keep using scopeSql: only the
 * current owner may change a case.
 */
export function readScopeSql(scope: CaseScope): RawBuilder<SqlBool> {
  if (scope.role === 'contractor') return scopeSql(scope);
  return sql<SqlBool>`(cases.organisation_id = ${scope.organisationId}
    or exists (select 1 from case_access where case_access.case_id = cases.id and case_access.organisation_id = ${scope.organisationId}))`;
}

/** Roles that may see a reporter's contact details, and only in the organisation that owns the case. */
export const CONTACT_ROLES: readonly Role[] = ['agent', 'handler', 'supervisor', 'admin'];

/** Roles that handle cases (triage, assign, state, priority, merge, contractor). */
export const HANDLER_ROLES: readonly Role[] = ['handler', 'supervisor', 'admin'];

/** True when this person may see the reporter of a case owned by `caseOrganisationId`. */
export function maySeeReporter(scope: CaseScope, caseOrganisationId: number): boolean {
  return CONTACT_ROLES.includes(scope.role) && scope.organisationId === caseOrganisationId;
}
