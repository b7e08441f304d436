export { computeStatus } from './computeStatus';
export type { IdentityFacts, IdentityRecord } from './types';
export { FindingRuleRegistry } from './FindingRuleRegistry';
