import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NotChecked } from '../types';

const F = EVIDENCE_FILES;

/**
 * What the verifier never compares with the ledger, in every package: no ledger entry the
 * package holds records these values. The backend's index.html lists the same.
 */
export const NOT_CHECKED: readonly NotChecked[] = [
  {
    file: F.inventory.name,
    columns: ['first_seen_at', 'removed_at'],
    why: "the package holds each identity's latest registration before the period, not its first one, nor its removal",
  },
  {
    file: F.inventory.name,
    columns: ['last_rotated_at', 'expires_at', 'last_used_at'],
    why: 'read from lifecycle events, usage and the current rotation policy, which no ledger entry of the package records per identity (rotations.csv holds the period’s events, checked)',
  },
  {
    file: F.inventory.name,
    columns: [
      'rotation_status_at_period_end',
      'usage_status_at_period_end',
      'review_status_at_period_end',
      'open_findings_at_period_end',
    ],
    why: 'replayed from every status change since the identity was first seen; the package holds only those of the period (findings.csv’s, checked)',
  },
  {
    file: F.accessReviews.name,
    columns: [
      'campaign_id',
      'campaign_period',
      'campaign_status',
      'assignee',
      'due_at',
      'state',
      'new_since_last_campaign',
      'batch_id',
      'decision_details',
      'escalated_at',
      'escalation_reason',
      'non_response_action',
      'remediations',
    ],
    why: 'not compared with a ledger entry',
  },
  {
    file: F.exceptions.name,
    columns: ['justification', 'compensating_controls', 'requested_at'],
    why: 'not compared with a ledger entry; nor is any cell of an exception not decided within the period',
  },
  {
    file: F.approvals.name,
    columns: ['approval_id'],
    why: 'the id of the stored row, which the ledger entry does not record',
  },
  {
    file: F.rotations.name,
    columns: [
      'source',
      'last_rotated_at',
      'due_at',
      'period_days',
      'age_days_at_period_end',
      'rotation_status_at_period_end',
    ],
    why: 'computed from the rotation policy and the events, not recorded by the event.ingested entry; nor is any cell of an overdue row, or of an event received outside the period',
  },
  {
    file: F.findings.name,
    columns: ['evidence'],
    why: 'of closed, excepted, open-at-start and open-at-end rows: only an opening records evidence',
  },
  {
    file: F.usage.name,
    columns: ['identity', 'month', 'uses', 'auth_failures', 'distinct_sources'],
    why: 'daily usage is counted from usage logs and events, not recorded in the ledger',
  },
  {
    file: F.ledgerIdentities.name,
    columns: [],
    why: "that each entry is the identity's latest of its kind before the period: each proves itself by its hash, but is not linked into the slice's chain",
  },
  {
    file: F.index.name,
    columns: [],
    why: 'a report rendered from the other files: hashed, not interpreted',
  },
];

const FIRST_ROWS = 10;

/** The rows whose cells could not be checked, by file, columns and reason. */
export class NotCheckedRows {
  private readonly byReason = new Map<string, NotChecked>();

  add(file: string, columns: string[], why: string, row: number) {
    const key = `${file}\u0000${columns.join(',')}\u0000${why}`;
    const seen = this.byReason.get(key) ?? {
      file,
      columns,
      why,
      rows: 0,
      firstRows: [],
    };
    seen.rows! += 1;
    if (seen.firstRows!.length < FIRST_ROWS) seen.firstRows!.push(row);
    this.byReason.set(key, seen);
  }

  /** The package's list: what is never checked, then the rows left unchecked here. */
  list(): NotChecked[] {
    return [...NOT_CHECKED, ...this.byReason.values()];
  }
}
