export {
  SecurityPage,
  SECURITY_PAGE_TABS,
  useIdentityFilterParams,
} from './SecurityPage';
export type { SecurityPageProps, SecurityPageTab } from './SecurityPage';
export { IdentityListPanel } from './identities/IdentityListPanel';
export type { IdentityListPanelProps } from './identities/IdentityListPanel';
export { SecurityKpis } from './SecurityKpis';
export type { SecurityKpisProps } from './SecurityKpis';
export { SecurityOverview } from './SecurityOverview';
export type { SecurityOverviewProps } from './SecurityOverview';
export {
  FindingsByOwnerChart,
  IdentitiesByFindingChart,
  ComplianceTrendChart,
} from './charts';
export type {
  FindingsByOwnerChartProps,
  IdentitiesByFindingChartProps,
  ComplianceTrendChartProps,
} from './charts';
export { RollupTable } from './RollupTable';
export type { RollupTableProps } from './RollupTable';
export { CampaignsPanel } from './campaigns/CampaignsPanel';
export type { CampaignsPanelProps } from './campaigns/CampaignsPanel';
export { QueuesPanel } from './queues/QueuesPanel';
export { ExceptionQueue } from './queues/ExceptionQueue';
export { ApprovalQueue } from './queues/ApprovalQueue';
export {
  drillDownLink,
  filterFromSearchParams,
  filterToSearchParams,
} from './identityFilter';
export type { IdentityFilter } from './identityFilter';
export {
  ExportEvidenceButton,
  ExportEvidenceDialog,
} from './evidence/ExportEvidenceDialog';
export type { ExportEvidenceDialogProps } from './evidence/ExportEvidenceDialog';
export { PastExportsPanel } from './evidence/PastExportsPanel';
export type { PastExportsPanelProps } from './evidence/PastExportsPanel';
