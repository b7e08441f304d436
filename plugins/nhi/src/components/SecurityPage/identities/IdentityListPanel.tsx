import { useCallback } from 'react';
import { Table, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import type {
  IdentitySortField,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import {
  type IdentityFilter,
  filterKey,
  isFilterEmpty,
} from '../identityFilter';
import { type RemotePageQuery, useRemotePages } from '../useRemotePages';
import { ActiveFilterChips } from './ActiveFilterChips';
import { SORT_FIELDS, identityListColumns } from './identityListColumns';

export interface IdentityListPanelProps {
  /** What the list shows; an empty filter shows every identity. */
  filter: IdentityFilter;
  /**
   * Called with the filter without the chip the user removed (or `{}` for "Clear all").
   * Without it the chips are shown but cannot be removed.
   */
  onFilterChange?: (filter: IdentityFilter) => void;
  /** The table title; "Identities" unless given. */
  title?: string;
  /** Rows per page (at most 500); 20 unless given. */
  pageSize?: number;
}

/** The server's sort key and order for the column material-table sorts by; risk, highest first, by default. */
function serverOrder(query: RemotePageQuery): {
  sort: IdentitySortField;
  order: 'asc' | 'desc';
} {
  const field =
    typeof query.orderBy?.field === 'string' ? query.orderBy.field : undefined;
  const sort = (field && SORT_FIELDS[field]) || 'risk';
  const order = query.orderDirection || (field ? 'asc' : 'desc');
  return { sort, order };
}

/**
 * One page of identities at a time from `GET /identities`, filtered, sorted and paged on the
 * server, so it stays fast at any number of identities. The filter shows as chips above.
 */
export function IdentityListPanel(props: IdentityListPanelProps) {
  const { filter, onFilterChange, title = 'Identities' } = props;
  const pageSize = Math.min(props.pageSize ?? 20, 500);
  const nhiApi = useApi(nhiApiRef);
  const load = useCallback(
    (query: RemotePageQuery) =>
      nhiApi.listIdentities({
        ...filter,
        ...serverOrder(query),
        limit: query.pageSize,
        offset: query.page * query.pageSize,
      }),
    [nhiApi, filter],
  );
  const { data, total: totalCount, error } = useRemotePages(load);

  return (
    <Box data-testid="identity-list-panel">
      <ActiveFilterChips filter={filter} onFilterChange={onFilterChange} />
      {error && (
        <Box mb={1}>
          <WarningPanel
            severity="error"
            title="Could not load the identities"
            defaultExpanded
            message={error}
          />
        </Box>
      )}
      <Table<IdentityView>
        // A new filter starts again from the first page.
        key={filterKey(filter)}
        title={
          totalCount === undefined
            ? title
            : `${title} (${totalCount.toLocaleString('en-US')})`
        }
        columns={identityListColumns}
        data={data as any}
        options={{
          paging: true,
          pageSize,
          pageSizeOptions: Array.from(new Set([pageSize, 20, 50, 100])).sort(
            (a, b) => a - b,
          ),
          search: false,
          sorting: true,
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
        localization={{
          body: {
            emptyDataSourceMessage: isFilterEmpty(filter)
              ? 'No machine identities yet'
              : 'No identities match this filter',
          },
        }}
      />
    </Box>
  );
}
