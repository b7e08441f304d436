import { ResponseErrorPanel, Table } from '@backstage/core-components';
import type { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type {
  CampaignDetails,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import type { NhiApi } from '../../../api';
import { StatusText } from '../../shared';
import { pagedTable } from '../compactTable';
import { shortRef } from '../identityFilter';
import { day } from '../day';

const escalatedColumns: TableColumn<ReviewItem>[] = [
  {
    title: 'Identity',
    field: 'identity',
    highlight: true,
    render: i => (
      <>
        <EntityRefLink entityRef={i.identity} hideIcon />
        {i.snapshot.purpose && (
          <Typography variant="body2" color="textSecondary">
            {i.snapshot.purpose}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Assigned to',
    field: 'assignee',
    render: i => <EntityRefLink entityRef={i.assignee} defaultKind="group" />,
  },
  {
    title: 'Why',
    field: 'escalationReason',
    render: i =>
      i.escalationReason === 'non-response'
        ? 'no response by the due date'
        : 'escalated by the reviewer',
  },
  {
    title: 'Escalated',
    field: 'escalatedAt',
    render: i => day(i.escalatedAt),
  },
  { title: 'Due', field: 'dueAt', render: i => day(i.dueAt) },
];

type GroupRow = CampaignDetails['byGroup'][number];

const groupColumns: TableColumn<GroupRow>[] = [
  {
    title: 'Group',
    field: 'group',
    highlight: true,
    render: g => <EntityRefLink entityRef={g.group} defaultKind="group" />,
  },
  { title: 'Items', field: 'total', type: 'numeric' },
  { title: 'Decided', field: 'decided', type: 'numeric' },
  { title: 'Pending', field: 'pending', type: 'numeric' },
  {
    title: 'Escalated',
    field: 'escalated',
    type: 'numeric',
    render: g =>
      g.escalated ? <StatusText tone="warning">{g.escalated}</StatusText> : 0,
  },
  {
    title: 'Overdue',
    field: 'overdue',
    type: 'numeric',
    render: g =>
      g.overdue ? <StatusText tone="error">{g.overdue}</StatusText> : 0,
  },
  {
    title: 'Progress',
    field: 'decided',
    sorting: false,
    render: g => {
      const pct = g.total ? Math.round((g.decided / g.total) * 100) : 100;
      return (
        <LinearProgress
          variant="determinate"
          value={pct}
          aria-label={`${shortRef(g.group)}: ${pct}% decided`}
        />
      );
    },
  },
];

/** Decided, pending, escalated and overdue items of each owner group. */
export function GroupProgressTable(props: { groups: GroupRow[] }) {
  const { groups } = props;
  return (
    <Table<GroupRow>
      title="Progress per group"
      columns={groupColumns}
      data={groups}
      options={pagedTable(groups.length, groups.length > 10)}
      localization={{
        body: { emptyDataSourceMessage: 'No items in this campaign' },
      }}
    />
  );
}

/** The items escalated to security, or why they could not be read. */
export function EscalatedItemsTable(props: {
  loading: boolean;
  error?: Error;
  value?: Awaited<ReturnType<NhiApi['listCampaignItems']>>;
}) {
  const { loading, error, value } = props;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <Table<ReviewItem>
      title={`Escalated to security (${value?.totalItems ?? '…'})`}
      isLoading={loading}
      columns={escalatedColumns}
      data={value?.items ?? []}
      options={pagedTable(value?.items.length ?? 0, false)}
      localization={{
        body: { emptyDataSourceMessage: 'Nothing escalated' },
      }}
    />
  );
}
