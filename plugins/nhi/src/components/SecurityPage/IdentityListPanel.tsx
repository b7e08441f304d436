import { useCallback, useState } from 'react';
import {
  Table,
  type TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type {
  IdentitySortField,
  IdentityView,
  MachineIdentityType,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { IdentityTypeIcon } from '../IdentityTypeIcon';
import { IdentityName } from '../discovery';
import {
  FindingChips,
  ReviewStatusText,
  RotationStatus,
  StatusText,
  UsageStatusText,
} from '../shared';
import { errorMessage } from './errors';
import {
  type IdentityFilter,
  filterChips,
  filterKey,
  isFilterEmpty,
  removeFromFilter,
} from './identityFilter';

const dash = '—';

/** The column fields the server can sort by, and its sort key for each. */
const SORT_FIELDS: Record<string, IdentitySortField> = {
  type: 'type',
  ref: 'name',
  owner: 'owner',
  'status.rotation.status': 'rotation',
  'status.risk': 'risk',
};

function RiskText(props: { risk: number }) {
  const { risk } = props;
  let tone: 'ok' | 'warning' | 'error' = 'ok';
  if (risk >= 75) tone = 'error';
  else if (risk >= 50) tone = 'warning';
  return <StatusText tone={tone}>{risk}</StatusText>;
}

const columns: TableColumn<IdentityView>[] = [
  {
    title: 'Type',
    field: 'type',
    render: i => <IdentityTypeIcon type={i.type as MachineIdentityType} />,
  },
  {
    title: 'Identity',
    field: 'ref',
    highlight: true,
    cellStyle: { minWidth: 200 },
    render: i => (
      <>
        <IdentityName identity={i} />
        {i.purpose && (
          <Typography variant="body2" color="textSecondary">
            {i.purpose}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Owner',
    cellStyle: { minWidth: 130, whiteSpace: 'nowrap' },
    field: 'owner',
    render: i =>
      i.owner ? (
        <EntityRefLink entityRef={i.owner} defaultKind="group" />
      ) : (
        <StatusText tone="error">no owner</StatusText>
      ),
  },
  {
    title: 'Environment',
    field: 'environment',
    sorting: false,
    render: i => i.environment ?? dash,
  },
  {
    title: 'Rotation',
    field: 'status.rotation.status',
    render: i =>
      i.status ? <RotationStatus rotation={i.status.rotation} /> : dash,
  },
  {
    title: 'Usage',
    cellStyle: { minWidth: 130, whiteSpace: 'nowrap' },
    field: 'status.usage.status',
    sorting: false,
    render: i => (i.status ? <UsageStatusText usage={i.status.usage} /> : dash),
  },
  {
    title: 'Review',
    cellStyle: { minWidth: 130, whiteSpace: 'nowrap' },
    field: 'status.review.status',
    sorting: false,
    render: i =>
      i.status ? <ReviewStatusText review={i.status.review.status} /> : dash,
  },
  {
    title: 'Findings',
    field: 'status.findings',
    sorting: false,
    cellStyle: { minWidth: 180 },
    render: i =>
      i.status ? <FindingChips findings={i.status.findings} /> : dash,
  },
  {
    title: 'Risk',
    field: 'status.risk',
    defaultSort: 'desc',
    render: i => (i.status ? <RiskText risk={i.status.risk} /> : dash),
  },
];

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

/**
 * One page of identities at a time from `GET /identities`, filtered, sorted and paged on the
 * server, so it stays fast at any number of identities. The filter shows as chips above.
 */
export function IdentityListPanel(props: IdentityListPanelProps) {
  const { filter, onFilterChange, title = 'Identities' } = props;
  const pageSize = Math.min(props.pageSize ?? 20, 500);
  const nhiApi = useApi(nhiApiRef);
  const [totalCount, setTotalCount] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();
  const chips = filterChips(filter);

  const data = useCallback(
    async (query: {
      page: number;
      pageSize: number;
      orderBy?: { field?: unknown };
      orderDirection?: 'asc' | 'desc' | '';
    }) => {
      const field =
        typeof query.orderBy?.field === 'string'
          ? query.orderBy.field
          : undefined;
      const sort = (field && SORT_FIELDS[field]) || 'risk';
      const order = query.orderDirection || (field ? 'asc' : 'desc');
      try {
        const response = await nhiApi.listIdentities({
          ...filter,
          sort,
          order,
          limit: query.pageSize,
          offset: query.page * query.pageSize,
        });
        setError(undefined);
        setTotalCount(response.totalItems);
        return {
          data: response.items,
          page: query.page,
          totalCount: response.totalItems,
        };
      } catch (e) {
        const message = errorMessage(e);
        setError(message);
        throw new Error(message);
      }
    },
    [nhiApi, filter],
  );

  return (
    <Box data-testid="identity-list-panel">
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        mb={1}
        aria-label="Active filter"
        role="group"
      >
        {chips.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            All identities, no filter
          </Typography>
        ) : (
          <>
            <Typography
              variant="body2"
              color="textSecondary"
              style={{ marginRight: 8 }}
            >
              Filtered by
            </Typography>
            {chips.map(chip => (
              <Chip
                key={`${chip.key}=${chip.value}`}
                label={chip.label}
                size="small"
                style={{ margin: 2 }}
                data-testid={`filter-chip-${chip.key}-${chip.value}`}
                onDelete={
                  onFilterChange
                    ? () =>
                        onFilterChange(
                          removeFromFilter(filter, chip.key, chip.value),
                        )
                    : undefined
                }
              />
            ))}
            {onFilterChange && !isFilterEmpty(filter) && (
              <Button size="small" onClick={() => onFilterChange({})}>
                Clear all
              </Button>
            )}
          </>
        )}
      </Box>
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
        columns={columns}
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
