export { inventoryCsv } from './inventoryCsv';
export { accessReviewsCsv } from './accessReviewsCsv';
export { exceptionsCsv, approvalsCsv } from './exceptionsAndApprovalsCsv';
export { rotationsCsv } from './rotationsCsv';
export { findingsCsv } from './findingsCsv';
export { usageCsv } from './usageCsv';
