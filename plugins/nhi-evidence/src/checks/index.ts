import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { CheckContext, CsvCheck } from './cells';
import { accessReviewsCheck } from './accessReviewsCheck';
import { approvalsCheck } from './approvalsCheck';
import { exceptionsCheck } from './exceptionsCheck';
import { findingsCheck } from './findingsCheck';
import { inventoryCheck } from './inventoryCheck';
import { rotationsCheck } from './rotationsCheck';

export type { CheckContext, CsvCheck } from './cells';
export { asCell, cellText } from './cells';
export { NOT_CHECKED, NotCheckedRows } from './notChecked';

/** The checks of the CSV files this verifier knows; others are only hashed and counted. */
export const CSV_CHECKS: Record<string, (ctx: CheckContext) => CsvCheck> = {
  [EVIDENCE_FILES.inventory.name]: inventoryCheck,
  [EVIDENCE_FILES.accessReviews.name]: accessReviewsCheck,
  [EVIDENCE_FILES.exceptions.name]: exceptionsCheck,
  [EVIDENCE_FILES.approvals.name]: approvalsCheck,
  [EVIDENCE_FILES.rotations.name]: rotationsCheck,
  [EVIDENCE_FILES.findings.name]: findingsCheck,
};
