import { useCallback, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
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
import { usePermission } from '@backstage/plugin-permission-react';
import Typography from '@material-ui/core/Typography';
import {
  type DiscoverySourceHealth,
  nhiDiscoveryRunPermission,
} from '@nhi-governance/plugin-nhi-common';
import { type NhiApi, nhiApiRef } from '../../../api';
import { compactTable } from '../compactTable';
import { errorMessage } from '../errors';
import { ReadNowButton, type ReadState } from './ReadNowButton';
import { RunWarningsCell } from './RunWarnings';
import { SourceScopes } from './SourceScopes';
import { summaryLines } from './sourceSummary';

const when = (iso?: string) =>
  iso
    ? DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'")
    : 'never';

function LastRun(props: { source: DiscoverySourceHealth }) {
  const { source } = props;
  if (!source.lastStatus) return <StatusPending>not read yet</StatusPending>;
  if (source.lastStatus === 'ok') {
    return (
      <>
        <StatusOK>read {when(source.lastRunAt)}</StatusOK>
        <SourceScopes source={source} />
      </>
    );
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
      <SourceScopes source={source} />
    </>
  );
}

function Summary(props: { source: DiscoverySourceHealth }) {
  const lines = summaryLines(props.source.summary);
  if (!lines.length) return <>—</>;
  return (
    <>
      {lines.map(line => (
        <Typography key={line} variant="body2">
          {line}
        </Typography>
      ))}
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
    title: 'Last good read',
    field: 'summary',
    render: s => <Summary source={s} />,
  },
  {
    title: 'Warnings',
    sorting: false,
    render: s => <RunWarningsCell source={s} />,
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

/** What a read answered, as the button beside the source shows it. */
function readResult(
  result: Awaited<ReturnType<NhiApi['runDiscoverySource']>>,
): ReadState {
  return result.status === 'ok'
    ? {
        running: false,
        ok: true,
        rows: result.rows,
        warnings: result.warningCount,
      }
    : {
        running: false,
        ok: false,
        error: result.error ?? 'the source gave no reason',
      };
}

/** Reads a source now and keeps each source's last read here; the list reloads after each. */
function useReadNow(retry: () => void, onRead?: () => void) {
  const nhiApi = useApi(nhiApiRef);
  const [reads, setReads] = useState<Record<string, ReadState>>({});
  const readNow = useCallback(
    async (sourceId: string) => {
      const done = (state: ReadState) =>
        setReads(current => ({ ...current, [sourceId]: state }));
      done({ running: true });
      try {
        done(readResult(await nhiApi.runDiscoverySource(sourceId)));
      } catch (e) {
        // Refused (403), or already being read (409): the server's own words.
        done({ running: false, ok: false, error: errorMessage(e) });
      }
      retry();
      onRead?.();
    },
    [nhiApi, retry, onRead],
  );
  return { reads, readNow };
}

/**
 * Source health: each discovery source, when it was last read, whether the read went through
 * and what it found. A failed read names the source, the row or path and the reason, and keeps
 * what the last good read listed, so an auditor can tell a complete inventory from a stale one.
 * Holders of nhi.discovery.run can read a source now instead of waiting for its schedule.
 */
export function SourceHealthPanel(props: {
  /** Called after each read started here, so what depends on the sources can reload. */
  onRead?: () => void;
}) {
  const { onRead } = props;
  const nhiApi = useApi(nhiApiRef);
  const sources = useAsyncRetry(() => nhiApi.listDiscoverySources(), [nhiApi]);
  const { retry } = sources;
  const { allowed: mayRun } = usePermission({
    permission: nhiDiscoveryRunPermission,
  });
  const { reads, readNow } = useReadNow(retry, onRead);

  const shownColumns = useMemo(
    () =>
      mayRun
        ? [
            ...columns,
            {
              title: '',
              render: (s: DiscoverySourceHealth) => (
                <ReadNowButton
                  sourceId={s.id}
                  state={reads[s.id]}
                  onRead={readNow}
                />
              ),
            },
          ]
        : columns,
    [mayRun, reads, readNow],
  );

  // The rows stay while they reload after a read.
  if (sources.loading && !sources.value) return <Progress />;
  if (sources.error) return <ResponseErrorPanel error={sources.error} />;
  const items = sources.value?.items ?? [];
  return (
    <Table<DiscoverySourceHealth>
      title="Source health"
      subtitle="The exports discovery reads (nhi.discovery.sources in app-config)"
      columns={shownColumns}
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
