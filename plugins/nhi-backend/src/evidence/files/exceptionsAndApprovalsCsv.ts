import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import { CsvColumn, CsvFile, csvFileOf } from '../csvFile';

/** A column holding a stored field as it is, under a header of its own. */
const field = (header: string, name = header): CsvColumn<any> => ({
  header,
  value: row => row[name],
});

const EXCEPTION_COLUMNS = [
  field('exception_id', 'id'),
  field('identity', 'identity_ref'),
  field('finding'),
  field('status'),
  field('justification'),
  field('compensating_controls'),
  field('requested_by'),
  field('requested_at'),
  field('decided_by'),
  field('decided_at'),
  field('decision_reason'),
  field('expires_at'),
];

const APPROVAL_COLUMNS = [
  field('approval_id', 'id'),
  field('identity', 'identity_ref'),
  field('decision'),
  field('decided_by'),
  field('decided_at'),
  field('ticket'),
  field('reason'),
];

/** exceptions.csv: requester, approver, dates, expiry and justification. */
export function exceptionsCsv(
  stores: NhiStores,
  period: PeriodBounds,
): CsvFile {
  return csvFileOf(
    EVIDENCE_FILES.exceptions.name,
    EXCEPTION_COLUMNS,
    stores.evidence.exceptionRows(period),
  );
}

/** approvals.csv: the security queue's approvals and send-backs of new identities (CC6.2). */
export function approvalsCsv(stores: NhiStores, period: PeriodBounds): CsvFile {
  return csvFileOf(
    EVIDENCE_FILES.approvals.name,
    APPROVAL_COLUMNS,
    stores.evidence.approvalRows(period),
  );
}
