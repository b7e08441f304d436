import useAsync from 'react-use/esm/useAsync';
import { DateTime } from 'luxon';
import {
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { DiscoverySourceHealth } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { compactTable } from '../compactTable';

const when = (iso?: string) =>
  iso
    ? DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'")
    : 'never';

function LastRun(props: { source: DiscoverySourceHealth }) {
  const { source } = props;
  if (!source.lastStatus) return <StatusPending>not read yet</StatusPending>;
  if (source.lastStatus === 'ok') {
    return <StatusOK>read {when(source.lastRunAt)}</StatusOK>;
  }
  return (
    <>
      <StatusError>failed {when(source.lastRunAt)}</StatusError>
      {/* The source, the row or path and the reason, as the parser named them. */}
      <Typography variant="body2" color="error" data-testid="source-error">
        {source.lastError}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Kept: what the last good read listed ({when(source.lastSuccessAt)})
      </Typography>
    </>
  );
}

const columns: TableColumn<DiscoverySourceHealth>[] = [
  {
    title: 'Source',
    field: 'id',
    render: s => (
      <>
        <Typography variant="body2">{s.id}</Typography>
        <Typography variant="caption" color="textSecondary">
          {s.format}
        </Typography>
      </>
    ),
  },
  { title: 'Read from', field: 'location' },
  {
    title: 'Last run',
    field: 'lastStatus',
    render: s => <LastRun source={s} />,
  },
  {
    title: 'Rows read',
    field: 'runs',
    type: 'numeric',
    render: s => s.runs[0]?.rowsRead ?? '—',
  },
  {
    title: 'Credentials listed',
    field: 'credentials',
    type: 'numeric',
  },
];

/**
 * Source health: each discovery source, when it was last read and whether the read went
 * through. A failed read names the source, the row or path and the reason, and keeps what the
 * last good read listed, so an auditor can tell a complete inventory from a stale one.
 */
export function SourceHealthPanel() {
  const nhiApi = useApi(nhiApiRef);
  const sources = useAsync(() => nhiApi.listDiscoverySources(), [nhiApi]);
  if (sources.loading) return <Progress />;
  if (sources.error) return <ResponseErrorPanel error={sources.error} />;
  const items = sources.value?.items ?? [];
  return (
    <Table<DiscoverySourceHealth>
      title="Source health"
      subtitle="The exports discovery reads (nhi.discovery.sources in app-config)"
      columns={columns}
      data={items}
      options={compactTable(items.length)}
      localization={{
        body: {
          emptyDataSourceMessage:
            'No discovery source is configured: add one under nhi.discovery.sources',
        },
      }}
    />
  );
}
