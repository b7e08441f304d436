import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { nhiApiRef } from '../../api';
import { CampaignsPanel } from './campaigns/CampaignsPanel';
import { currentCampaign } from './campaigns/campaigns';
import { isForbidden } from './errors';
import { ExportEvidenceButton } from './evidence/ExportEvidenceDialog';
import { PastExportsPanel } from './evidence/PastExportsPanel';
import { IdentityListPanel } from './identities/IdentityListPanel';
import { DiscoveryTab } from './page/DiscoveryTab';
import { MissingPermission } from './page/MissingPermission';
import { useSecurityTabParams } from './page/securityPageParams';
import { SecurityTabs } from './page/SecurityTabs';
import { QueuesPanel } from './queues/QueuesPanel';
import { SecurityOverview } from './SecurityOverview';

export {
  SECURITY_PAGE_TABS,
  useIdentityFilterParams,
} from './page/securityPageParams';
export type { SecurityPageTab } from './page/securityPageParams';

export interface SecurityPageProps {
  /** The header title; "Machine identities" unless given. */
  title?: string;
}

/** The tabs with the current one's panel, once the rollups answered. */
function SecurityTabsBody(props: { exportCount: number }) {
  const nhiApi = useApi(nhiApiRef);
  const { tab, setTab, filter, setFilter, campaignId, selectCampaign } =
    useSecurityTabParams();
  const rollups = useAsyncRetry(() => nhiApi.getRollups('all'), [nhiApi]);
  const campaigns = useAsyncRetry(
    () => nhiApi.listCampaigns(['open']).catch(() => ({ items: [] })),
    [nhiApi],
  );

  if (rollups.loading && !rollups.value) return <Progress />;
  if (rollups.error && isForbidden(rollups.error)) return <MissingPermission />;
  if (rollups.error) return <ResponseErrorPanel error={rollups.error} />;
  return (
    <SecurityTabs tab={tab} onChange={setTab}>
      {tab === 'overview' && (
        <SecurityOverview
          total={rollups.value!.total}
          campaign={currentCampaign(campaigns.value?.items ?? [])}
          onDrillDown={setFilter}
        />
      )}
      {tab === 'identities' && (
        <IdentityListPanel filter={filter} onFilterChange={setFilter} />
      )}
      {tab === 'campaigns' && (
        <CampaignsPanel
          selectedId={campaignId}
          onSelect={selectCampaign}
          onChanged={campaigns.retry}
        />
      )}
      {tab === 'queues' && <QueuesPanel />}
      {tab === 'evidence' && (
        <PastExportsPanel refreshKey={props.exportCount} />
      )}
      {tab === 'discovery' && <DiscoveryTab />}
    </SecurityTabs>
  );
}

/**
 * The org-wide page for security: KPIs, breakdowns and the compliance trend, the identity list
 * with the drill-down filter in the URL, recertification campaigns, the approval queues and the
 * SOC 2 evidence exports.
 * Needs `nhi.admin.read`; without it, a message naming the permission instead.
 */
export function SecurityPage(props: SecurityPageProps) {
  const [exportCount, setExportCount] = useState(0);
  return (
    <Page themeId="tool">
      <Header
        title={props.title ?? 'Machine identities'}
        subtitle="Org-wide governance: compliance, campaigns and approvals"
      >
        <ExportEvidenceButton onExported={() => setExportCount(n => n + 1)} />
      </Header>
      <Content>
        <SecurityTabsBody exportCount={exportCount} />
      </Content>
    </Page>
  );
}
