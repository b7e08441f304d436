import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  type IdentityFilter,
  filterFromSearchParams,
  filterToSearchParams,
  isFilterEmpty,
} from '../identityFilter';

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
export function currentTab(
  requested: string | null,
  filter: IdentityFilter,
): SecurityPageTab {
  if (SECURITY_PAGE_TABS.some(t => t.id === requested)) {
    return requested as SecurityPageTab;
  }
  return isFilterEmpty(filter) ? 'overview' : 'identities';
}

/**
 * The page's tab (and selected campaign) in the URL: switching tab keeps the filter, so going
 * back to the list shows it again; picking a campaign opens the Campaigns tab on it.
 */
export function useSecurityTabParams() {
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useIdentityFilterParams();
  const tab = currentTab(params.get('tab'), filter);

  const setTab = (next: SecurityPageTab) => {
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

  return {
    tab,
    setTab,
    filter,
    setFilter,
    campaignId: params.get('campaign') ?? undefined,
    selectCampaign,
  };
}
