export { FindingsByOwnerChart } from './FindingsByOwnerChart';
export type { FindingsByOwnerChartProps } from './FindingsByOwnerChart';
export { IdentitiesByFindingChart } from './IdentitiesByFindingChart';
export type { IdentitiesByFindingChartProps } from './IdentitiesByFindingChart';
export { ComplianceTrendChart } from './ComplianceTrendChart';
export type { ComplianceTrendChartProps } from './ComplianceTrendChart';
export { OWNER_FINDING_METRICS } from './chartParts';
