import useAsync from 'react-use/esm/useAsync';
import { DateTime } from 'luxon';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  type EvidenceExportRecord,
  nhiEvidenceExportPermission,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { compactTable } from '../compactTable';
import { isForbidden } from '../errors';

const exportedAt = (iso: string) =>
  DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'");

const monospace = {
  fontFamily: 'monospace',
  wordBreak: 'break-all' as const,
  minWidth: 260,
};

function columns(
  campaignNames: Map<string, string>,
): TableColumn<EvidenceExportRecord>[] {
  return [
    {
      title: 'Exported at',
      field: 'exportedAt',
      render: r => exportedAt(r.exportedAt),
    },
    {
      title: 'By',
      field: 'exportedBy',
      render: r => (
        <EntityRefLink entityRef={r.exportedBy} defaultKind="user" />
      ),
    },
    {
      title: 'Period',
      field: 'period.from',
      render: r => (
        <>
          {r.period.from} – {r.period.to}
          {r.campaign && (
            <Typography variant="body2" color="textSecondary">
              Campaign {campaignNames.get(r.campaign) ?? r.campaign}
            </Typography>
          )}
        </>
      ),
    },
    {
      // In full: the auditor compares it with the manifest and `nhi-evidence verify`.
      title: 'Package hash (SHA-256)',
      field: 'packageHash',
      cellStyle: monospace,
    },
    {
      title: 'Ledger head',
      field: 'ledgerHead.seq',
      type: 'numeric',
      render: r => <span title={r.ledgerHead.hash}>{r.ledgerHead.seq}</span>,
    },
    {
      title: 'Files',
      field: 'files',
      type: 'numeric',
      render: r => r.files.length,
    },
  ];
}

function MissingExportPermission() {
  return (
    <WarningPanel
      severity="warning"
      title="You cannot see the evidence exports"
      defaultExpanded
      message={
        <>
          Exporting evidence and seeing past exports needs the{' '}
          <code>{nhiEvidenceExportPermission.name}</code> permission. Ask your
          portal administrator for it if you prepare audits.
        </>
      }
    />
  );
}

export interface PastExportsPanelProps {
  /** Changed to load the list again, e.g. after an export. */
  refreshKey?: number;
}

/** The evidence packages exported so far, as the ledger recorded them. */
export function PastExportsPanel(props: PastExportsPanelProps) {
  const nhiApi = useApi(nhiApiRef);
  const exports = useAsync(
    () => nhiApi.listEvidenceExports(),
    [nhiApi, props.refreshKey],
  );
  const items = exports.value?.items ?? [];
  const needsNames = items.some(r => r.campaign);
  // Campaign names are a courtesy: the list stands without them.
  const names = useAsync(async () => {
    if (!needsNames) return new Map<string, string>();
    const { items: campaigns } = await nhiApi
      .listCampaigns()
      .catch(() => ({ items: [] }));
    return new Map(campaigns.map(c => [c.id, c.period]));
  }, [nhiApi, needsNames]);

  if (exports.loading && !exports.value) return <Progress />;
  if (exports.error && isForbidden(exports.error)) {
    return <MissingExportPermission />;
  }
  if (exports.error) return <ResponseErrorPanel error={exports.error} />;

  return (
    <Table<EvidenceExportRecord>
      title="Past exports"
      subtitle="Every evidence package exported, newest first, as the ledger recorded it"
      columns={columns(names.value ?? new Map())}
      data={items}
      options={compactTable(items.length)}
      localization={{
        body: { emptyDataSourceMessage: 'No evidence has been exported yet' },
      }}
    />
  );
}
