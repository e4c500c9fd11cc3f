import type { CaseStatus } from '../db/types.js';

/** Open311's two-valued status of each state. */
export const OPEN311_STATUS: Record<CaseStatus, 'open' | 'closed'> = {
  submitted: 'open',
  confirmed: 'open',
  investigating: 'open',
  in_progress: 'open',
  action_scheduled: 'open',
  reopened: 'open',
  fixed: 'closed',
  closed: 'closed',
  duplicate: 'closed',
  forwarded: 'closed',
  no_further_action: 'closed',
};

export const ALL_STATUSES = Object.keys(OPEN311_STATUS) as CaseStatus[];
export const OPEN_STATUSES = ALL_STATUSES.filter((s) => OPEN311_STATUS[s] === 'open');
export const CLOSED_STATUSES = ALL_STATUSES.filter((s) => OPEN311_STATUS[s] === 'closed');

const FROM_OPEN: CaseStatus[] = ['confirmed', 'investigating', 'in_progress', 'action_scheduled', 'fixed', 'closed', 'duplicate', 'forwarded', 'no_further_action'];

/**
 * The one table of allowed transitions. Every open state may move to any other open state except
 * back to "submitted", or be closed in any way; a closed state may only be reopened ("not fixed"),
 * and "fixed" may also be confirmed as closed.
 */
export const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  submitted: FROM_OPEN,
  confirmed: FROM_OPEN.filter((s) => s !== 'confirmed'),
  investigating: FROM_OPEN.filter((s) => s !== 'investigating'),
  in_progress: FROM_OPEN.filter((s) => s !== 'in_progress'),
  action_scheduled: FROM_OPEN.filter((s) => s !== 'action_scheduled'),
  reopened: FROM_OPEN,
  fixed: ['closed', 'reopened'],
  closed: ['reopened'],
  duplicate: ['reopened'],
  forwarded: ['reopened'],
  no_further_action: ['reopened'],
};

/** True when the table allows moving from one state to the other. */
export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Plain words for each state, for citizens and staff. */
export const STATUS_LABELS: Record<CaseStatus, { sv: string; en: string }> = {
  submitted: { sv: 'Mottaget', en: 'Received' },
  confirmed: { sv: 'Bekräftat', en: 'Confirmed' },
  investigating: { sv: 'Utreds', en: 'Investigating' },
  in_progress: { sv: 'Åtgärdas', en: 'In progress' },
  action_scheduled: { sv: 'Åtgärd planerad', en: 'Action scheduled' },
  reopened: { sv: 'Återöppnat', en: 'Reopened' },
  fixed: { sv: 'Åtgärdat', en: 'Fixed' },
  closed: { sv: 'Avslutat', en: 'Closed' },
  duplicate: { sv: 'Dubblett', en: 'Duplicate' },
  forwarded: { sv: 'Inte vårt ansvar – vidarebefordrat', en: 'Not ours – forwarded' },
  no_further_action: { sv: 'Ingen ytterligare åtgärd', en: 'No further action' },
};
