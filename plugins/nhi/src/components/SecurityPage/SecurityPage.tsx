import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { nhiAdminReadPermission } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { CampaignsPanel } from './campaigns/CampaignsPanel';
import { currentCampaign } from './campaigns/campaigns';
import { isForbidden } from './errors';
import { ExportEvidenceButton } from './evidence/ExportEvidenceDialog';
import { PastExportsPanel } from './evidence/PastExportsPanel';
import {
  type IdentityFilter,
  filterFromSearchParams,
  filterToSearchParams,
  isFilterEmpty,
} from './identityFilter';
import { IdentityListPanel } from './identities/IdentityListPanel';
import { QueuesPanel } from './queues/QueuesPanel';
import { SourceHealthPanel } from './discovery/SourceHealthPanel';
import { UndeclaredPanel } from './discovery/UndeclaredPanel';
import { SecurityOverview } from './SecurityOverview';

export const SECURITY_PAGE_TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'identities', label: 'Identities' },
  { id: 'campaigns', label: 'Campaigns' },
  { id: 'queues', label: 'Queues' },
  { id: 'evidence', label: 'Evidence' },
  { id: 'discovery', label: 'Discovery' },
] as const;

export type SecurityPageTab = (typeof SECURITY_PAGE_TABS)[number]['id'];

/**
 * The identity filter of the URL query string, and a setter that opens the identity list with
 * a new one: `?tab=identities&rotation=overdue`, so a drill-down can be shared as a link.
 */
export function useIdentityFilterParams(): [
  IdentityFilter,
  (filter: IdentityFilter) => void,
] {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filter = useMemo(
    () => filterFromSearchParams(new URLSearchParams(search)),
    [search],
  );
  const setFilter = useCallback(
    (next: IdentityFilter) =>
      setParams(
        filterToSearchParams(next, new URLSearchParams({ tab: 'identities' })),
      ),
    [setParams],
  );
  return [filter, setFilter];
}

/** The tab of the URL; a shared drill-down link may carry only the filter. */
function currentTab(
  requested: string | null,
  filter: IdentityFilter,
): SecurityPageTab {
  if (SECURITY_PAGE_TABS.some(t => t.id === requested)) {
    return requested as SecurityPageTab;
  }
  return isFilterEmpty(filter) ? 'overview' : 'identities';
}

function MissingPermission() {
  return (
    <WarningPanel
      severity="warning"
      title="You cannot see the org-wide machine identity views"
      message={
        <>
          <Typography component="span" display="block" paragraph>
            This page needs the <code>{nhiAdminReadPermission.name}</code>{' '}
            permission (security administrators). You do not have it, so the
            rollups, the identity list of the whole organisation, the campaigns
            and the security queues are not shown.
          </Typography>
          <Typography component="span" display="block">
            Your team's identities are on the Identities tab of your group and
            components. Ask your portal administrator for{' '}
            <code>{nhiAdminReadPermission.name}</code> if you need this view.
          </Typography>
        </>
      }
    />
  );
}

export interface SecurityPageProps {
  /** The header title; "Machine identities" unless given. */
  title?: string;
}

/**
 * The org-wide page for security: KPIs, breakdowns and the compliance trend, the identity list
 * with the drill-down filter in the URL, recertification campaigns, the approval queues and the
 * SOC 2 evidence exports.
 * Needs `nhi.admin.read`; without it, a message naming the permission instead.
 */
export function SecurityPage(props: SecurityPageProps) {
  const nhiApi = useApi(nhiApiRef);
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useIdentityFilterParams();
  const [exportCount, setExportCount] = useState(0);
  // A source read from the Discovery tab may change what is undeclared: that list reloads.
  const [discoveryReads, setDiscoveryReads] = useState(0);
  const onDiscoveryRead = useCallback(() => setDiscoveryReads(n => n + 1), []);

  const rollups = useAsyncRetry(() => nhiApi.getRollups('all'), [nhiApi]);
  const campaigns = useAsyncRetry(
    () => nhiApi.listCampaigns(['open']).catch(() => ({ items: [] })),
    [nhiApi],
  );

  const tab = currentTab(params.get('tab'), filter);

  const setTab = (next: SecurityPageTab) => {
    // The filter stays in the URL, so going back to the list shows it again.
    const nextParams = new URLSearchParams(params);
    nextParams.set('tab', next);
    if (next !== 'campaigns') nextParams.delete('campaign');
    setParams(nextParams);
  };

  const selectCampaign = (id: string) => {
    const nextParams = new URLSearchParams(params);
    nextParams.set('tab', 'campaigns');
    nextParams.set('campaign', id);
    setParams(nextParams);
  };

  let body;
  if (rollups.loading && !rollups.value) {
    body = <Progress />;
  } else if (rollups.error && isForbidden(rollups.error)) {
    body = <MissingPermission />;
  } else if (rollups.error) {
    body = <ResponseErrorPanel error={rollups.error} />;
  } else {
    body = (
      <>
        <Box mb={3}>
          <Tabs
            value={tab}
            onChange={(_, next) => setTab(next)}
            indicatorColor="primary"
            textColor="primary"
            aria-label="Security views"
          >
            {SECURITY_PAGE_TABS.map(t => (
              <Tab
                key={t.id}
                value={t.id}
                label={t.label}
                id={`nhi-security-tab-${t.id}`}
                aria-controls={`nhi-security-tabpanel-${t.id}`}
              />
            ))}
          </Tabs>
        </Box>
        <div
          role="tabpanel"
          id={`nhi-security-tabpanel-${tab}`}
          aria-labelledby={`nhi-security-tab-${tab}`}
        >
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
              selectedId={params.get('campaign') ?? undefined}
              onSelect={selectCampaign}
              onChanged={campaigns.retry}
            />
          )}
          {tab === 'queues' && <QueuesPanel />}
          {tab === 'evidence' && <PastExportsPanel refreshKey={exportCount} />}
          {tab === 'discovery' && (
            <>
              <Box mb={3}>
                <UndeclaredPanel key={discoveryReads} />
              </Box>
              <SourceHealthPanel onRead={onDiscoveryRead} />
            </>
          )}
        </div>
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title={props.title ?? 'Machine identities'}
        subtitle="Org-wide governance: compliance, campaigns and approvals"
      >
        <ExportEvidenceButton onExported={() => setExportCount(n => n + 1)} />
      </Header>
      <Content>{body}</Content>
    </Page>
  );
}
