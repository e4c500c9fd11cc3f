import type { CaseStatus } from '../db/types.js';
import { OPEN311_STATUS } from '../cases/states.js';

/** FixMyStreet's extended statuses, as sent in upper case on servicerequestupdates. */
export const FMS_STATUSES = [
  'OPEN', 'CLOSED', 'FIXED', 'IN_PROGRESS', 'ACTION_SCHEDULED', 'INVESTIGATING', 'DUPLICATE', 'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION', 'INTERNAL_REFERRAL', 'FOR_TRIAGE', 'CANCELLED', 'REOPEN',
] as const;
export type FmsStatus = (typeof FMS_STATUSES)[number];

/** Our state in FixMyStreet's words, for `status` on updates and `detailed_status` on requests. */
export const FMS_STATUS_OF: Record<CaseStatus, FmsStatus> = {
  submitted: 'OPEN',
  confirmed: 'OPEN',
  reopened: 'REOPEN',
  investigating: 'INVESTIGATING',
  in_progress: 'IN_PROGRESS',
  action_scheduled: 'ACTION_SCHEDULED',
  fixed: 'FIXED',
  closed: 'CLOSED',
  duplicate: 'DUPLICATE',
  forwarded: 'NOT_COUNCILS_RESPONSIBILITY',
  no_further_action: 'NO_FURTHER_ACTION',
};

const DIRECT: Partial<Record<FmsStatus, CaseStatus>> = {
  FIXED: 'fixed',
  CLOSED: 'closed',
  IN_PROGRESS: 'in_progress',
  ACTION_SCHEDULED: 'action_scheduled',
  INVESTIGATING: 'investigating',
  DUPLICATE: 'duplicate',
  NOT_COUNCILS_RESPONSIBILITY: 'forwarded',
  INTERNAL_REFERRAL: 'forwarded',
  NO_FURTHER_ACTION: 'no_further_action',
  CANCELLED: 'no_further_action',
};

/**
 * The state an incoming status asks for, given the case's state now; null when it implies no change.
 * OPEN and REOPEN reopen a closed case and leave an open one as it is; FOR_TRIAGE confirms a new case.
 */
export function targetState(status: FmsStatus, current: CaseStatus): CaseStatus | null {
  let target: CaseStatus | null;
  if (status === 'OPEN' || status === 'REOPEN') target = OPEN311_STATUS[current] === 'closed' ? 'reopened' : null;
  else if (status === 'FOR_TRIAGE') target = current === 'submitted' ? 'confirmed' : null;
  else target = DIRECT[status] ?? null;
  return target === current ? null : target;
}

/** Reads a status as clients write it ("in progress", "In_Progress", "open"); undefined when unknown. */
export function parseFmsStatus(value: string): FmsStatus | undefined {
  const upper = value.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return (FMS_STATUSES as readonly string[]).includes(upper) ? (upper as FmsStatus) : undefined;
}
