import type { CheckContext, CsvCheck } from './cells';
import { findingsCheck, rotationsCheck } from './changeChecks';
import {
  accessReviewsCheck,
  approvalsCheck,
  exceptionsCheck,
  inventoryCheck,
} from './decisionChecks';

export type { CheckContext, CsvCheck } from './cells';
export { asCell, cellText } from './cells';

/** The checks of the CSV files this verifier knows; others are only hashed and counted. */
export const CSV_CHECKS: Record<string, (ctx: CheckContext) => CsvCheck> = {
  'inventory.csv': inventoryCheck,
  'access-reviews.csv': accessReviewsCheck,
  'exceptions.csv': exceptionsCheck,
  'approvals.csv': approvalsCheck,
  'rotations.csv': rotationsCheck,
  'findings.csv': findingsCheck,
};
