import { ReactNode, useCallback, useMemo, useState } from 'react';
import {
  Progress,
  Table,
  TableProps,
  WarningPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { errorMessage, isAccessError, shortRef } from './helpers';
import { BulkDecisionBar } from './pending/BulkDecisionBar';
import { pendingColumns } from './pending/pendingColumns';
import { PendingDialog } from './pending/PendingDialog';
import {
  type OpenDialog,
  type Row,
  toItem,
  usePendingRows,
} from './pending/pendingRows';

export interface PendingAttestationsProps {
  /** Only the items of these identities (entity refs); every pending item of the caller otherwise. */
  identityRefs?: string[];
  /** The table's title; `Pending attestations` by default. */
  title?: string;
  /** Shown when there is nothing to review; nothing is rendered by default. */
  emptyState?: ReactNode;
}

function tableOptions(rowCount: number): TableProps<Row>['options'] {
  return {
    selection: true,
    showTextRowsSelected: false,
    paging: rowCount > 20,
    pageSize: 20,
    // No blank rows below a short list.
    emptyRowsWhenPaging: false,
    search: rowCount > 5,
    padding: 'dense',
    selectionProps: (row: Row) => ({
      disabled: !row.decides,
      inputProps: { 'aria-label': `Select ${shortRef(row.identity)}` },
    }),
  };
}

/** Why there is no list: a guest has nothing to review; anything else is an error. */
function LoadFailure(props: { error: Error; quiet: boolean }) {
  if (isAccessError(props.error)) {
    return props.quiet ? null : (
      <Typography variant="body2" color="textSecondary">
        Attestations are given by signed-in people: there is nothing for you to
        review.
      </Typography>
    );
  }
  return (
    <WarningPanel
      severity="error"
      title="Could not load pending attestations"
      message={errorMessage(props.error)}
    />
  );
}

/**
 * The caller's pending review items (across every group they belong to), optionally only those
 * of some identities, with a decision per row and bulk decisions for the selected rows.
 */
export function PendingAttestations(props: PendingAttestationsProps) {
  const { identityRefs, title = 'Pending attestations', emptyState } = props;
  const [dialog, setDialog] = useState<OpenDialog>();
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const { value, loading, error, retry } = usePendingRows(identityRefs);

  const rows = value?.rows;
  const reload = useCallback(() => {
    setDialog(undefined);
    setSelectedIds([]);
    retry();
  }, [retry]);

  const selected = useMemo(
    () => (rows ?? []).filter(r => selectedIds.includes(r.id)),
    [rows, selectedIds],
  );
  const columns = useMemo(() => pendingColumns(setDialog), []);
  const rowCount = rows?.length ?? 0;
  const options = useMemo(() => tableOptions(rowCount), [rowCount]);

  if (loading && !rows) return <Progress />;
  if (error) return <LoadFailure error={error} quiet={!!identityRefs} />;
  if (!rows || rows.length === 0) return <>{emptyState ?? null}</>;

  return (
    <>
      {selected.length > 0 && (
        <BulkDecisionBar
          count={selected.length}
          onDecide={decision =>
            setDialog({
              kind: 'decision',
              decision,
              items: selected.map(toItem),
            })
          }
        />
      )}
      <Table<Row>
        title={title}
        subtitle={
          value && value.totalItems > rows.length && !identityRefs
            ? `Showing ${rows.length} of ${value.totalItems}`
            : undefined
        }
        columns={columns}
        data={rows}
        isLoading={loading}
        onSelectionChange={picked => setSelectedIds(picked.map(r => r.id))}
        options={options}
      />
      <PendingDialog
        dialog={dialog}
        onClose={() => setDialog(undefined)}
        onDone={reload}
      />
    </>
  );
}
