import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import type { Cell, CsvFile } from '../csvFile';

/** exceptions.csv: requester, approver, dates, expiry and justification. */
export function exceptionsCsv(
  stores: NhiStores,
  period: PeriodBounds,
): CsvFile {
  return {
    name: EVIDENCE_FILES.exceptions.name,
    columns: [
      'exception_id',
      'identity',
      'finding',
      'status',
      'justification',
      'compensating_controls',
      'requested_by',
      'requested_at',
      'decided_by',
      'decided_at',
      'decision_reason',
      'expires_at',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const e of stores.evidence.exceptionRows(period)) {
        yield [
          e.id,
          e.identity_ref,
          e.finding,
          e.status,
          e.justification,
          e.compensating_controls,
          e.requested_by,
          e.requested_at,
          e.decided_by,
          e.decided_at,
          e.decision_reason,
          e.expires_at,
        ];
      }
    })(),
  };
}

/** approvals.csv: the security queue's approvals and send-backs of new identities (CC6.2). */
export function approvalsCsv(stores: NhiStores, period: PeriodBounds): CsvFile {
  return {
    name: EVIDENCE_FILES.approvals.name,
    columns: [
      'approval_id',
      'identity',
      'decision',
      'decided_by',
      'decided_at',
      'ticket',
      'reason',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const a of stores.evidence.approvalRows(period)) {
        yield [
          a.id,
          a.identity_ref,
          a.decision,
          a.decided_by,
          a.decided_at,
          a.ticket,
          a.reason,
        ];
      }
    })(),
  };
}
