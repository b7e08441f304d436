import { ReactNode, useCallback, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Progress,
  Table,
  TableColumn,
  TableProps,
  WarningPanel,
} from '@backstage/core-components';
import {
  identityApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Paper from '@material-ui/core/Paper';
import Toolbar from '@material-ui/core/Toolbar';
import Typography from '@material-ui/core/Typography';
import {
  REVIEW_DECISIONS,
  ReviewDecisionKind,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { FindingChips } from '../shared';
import { IdentityTypeIcon } from '../IdentityTypeIcon';
import { DecisionDialog } from './DecisionDialog';
import { ReassignmentDialog } from './ReassignmentDialog';
import {
  DECISION_LABELS,
  day,
  isAccessError,
  isOverdue,
  sameRef,
  shortRef,
  toFinding,
  errorMessage,
} from './helpers';
import { RefLink } from './SnapshotDetails';

export interface PendingAttestationsProps {
  /** Only the items of these identities (entity refs); every pending item of the caller otherwise. */
  identityRefs?: string[];
  /** The table's title; `Pending attestations` by default. */
  title?: string;
  /** Shown when there is nothing to review; nothing is rendered by default. */
  emptyState?: ReactNode;
}

/** The most items one request returns (the server's page limit). */
const PAGE = 500;

type Row = ReviewItem & {
  /** The caller is in the group asked to take the identity over. */
  receives: boolean;
  /** The caller may decide it (the assignee or backup owner group, as far as the client knows). */
  decides: boolean;
};

/** The review item of a row, without what the table and this view added to it. */
function toItem(row: Row): ReviewItem {
  const {
    receives: _r,
    decides: _d,
    tableData: _t,
    ...item
  } = row as Row & { tableData?: unknown };
  return item;
}

type OpenDialog =
  | { kind: 'decision'; decision: ReviewDecisionKind; items: ReviewItem[] }
  | { kind: 'reassignment'; accept: boolean; item: ReviewItem };

const STATE_LABELS: Record<ReviewItem['state'], string> = {
  pending: 'pending',
  'awaiting-reassignment': 'awaiting reassignment',
  escalated: 'escalated',
  decided: 'decided',
};

function StateCell(props: { item: ReviewItem }) {
  const { item } = props;
  return (
    <>
      <Typography variant="body2">{STATE_LABELS[item.state]}</Typography>
      {item.state === 'awaiting-reassignment' && item.reassignTo && (
        <Typography variant="caption" color="textSecondary" display="block">
          to {item.reassignTo}
        </Typography>
      )}
      {item.state === 'escalated' && item.escalationReason && (
        <Typography variant="caption" color="textSecondary" display="block">
          {item.escalationReason === 'non-response'
            ? 'no response by the due date'
            : 'by the reviewer'}
        </Typography>
      )}
    </>
  );
}

function DueCell(props: { item: ReviewItem }) {
  const overdue = isOverdue(props.item);
  return (
    <Typography
      variant="body2"
      color={overdue ? 'error' : 'textPrimary'}
      data-overdue={overdue ? 'true' : undefined}
      noWrap
    >
      {day(props.item.dueAt)}
      {overdue && ' (overdue)'}
    </Typography>
  );
}

function SnapshotCell(props: { item: ReviewItem }) {
  const { snapshot } = props.item;
  return (
    <>
      <Typography variant="body2">
        <RefLink entityRef={snapshot.owner} defaultKind="group" />
        {snapshot.privilege ? ` · ${snapshot.privilege}` : ''}
      </Typography>
      <Typography
        variant="caption"
        color="textSecondary"
        display="block"
        style={{ wordBreak: 'break-word' }}
      >
        {snapshot.scopes.length ? snapshot.scopes.join(', ') : 'no scopes'}
      </Typography>
      <FindingChips findings={snapshot.findings.map(toFinding)} />
    </>
  );
}

/**
 * The caller's pending review items (across every group they belong to), optionally only those
 * of some identities, with a decision per row and bulk decisions for the selected rows.
 */
export function PendingAttestations(props: PendingAttestationsProps) {
  const { identityRefs, title = 'Pending attestations', emptyState } = props;
  const nhiApi = useApi(nhiApiRef);
  const identityApi = useApiHolder().get(identityApiRef);
  const [dialog, setDialog] = useState<OpenDialog>();
  const [selectedIds, setSelectedIds] = useState<string[]>([]);

  const refsKey = identityRefs?.join('\n');
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [page, claims] = await Promise.all([
      nhiApi.listMyReviewItems({ limit: PAGE }),
      identityApi
        ?.getBackstageIdentity()
        .then(i => i.ownershipEntityRefs)
        .catch(() => [] as string[]) ?? Promise.resolve([] as string[]),
    ]);
    const wanted = identityRefs?.map(r => r.toLocaleLowerCase('en-US'));
    const items = wanted
      ? page.items.filter(i =>
          wanted.includes(i.identity.toLocaleLowerCase('en-US')),
        )
      : page.items;
    const actsFor = (ref?: string) => claims.some(c => sameRef(c, ref));
    const rows: Row[] = items.map(item => {
      const receives =
        item.state === 'awaiting-reassignment' && actsFor(item.reassignTo);
      const decides =
        actsFor(item.assignee) || actsFor(item.backupOwner) || !receives;
      return { ...item, receives, decides };
    });
    return { rows, totalItems: page.totalItems };
  }, [nhiApi, identityApi, refsKey]);

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

  const columns = useMemo<TableColumn<Row>[]>(
    () => [
      {
        title: 'Identity',
        field: 'identity',
        highlight: true,
        cellStyle: { minWidth: 180 },
        render: item => (
          <>
            <RefLink entityRef={item.identity} />
            <Typography variant="caption" color="textSecondary" component="div">
              <IdentityTypeIcon type={item.snapshot.type} />
            </Typography>
            {item.newSinceLastCampaign && (
              <Chip size="small" label="new" variant="outlined" />
            )}
          </>
        ),
      },
      {
        title: 'Due',
        field: 'dueAt',
        defaultSort: 'asc',
        cellStyle: { whiteSpace: 'nowrap' },
        render: item => (
          <>
            <DueCell item={item} />
            <Typography variant="caption" color="textSecondary" display="block">
              {item.period}
            </Typography>
          </>
        ),
      },
      {
        title: 'State',
        field: 'state',
        cellStyle: { minWidth: 120 },
        // The current decision, if any, under the state: one column for where the item stands.
        render: item => (
          <>
            <StateCell item={item} />
            {item.decision && (
              <Typography
                variant="caption"
                color="textSecondary"
                display="block"
              >
                {DECISION_LABELS[item.decision.decision]} by{' '}
                {item.decision.decidedBy.replace(/^user:(default\/)?/, '')},{' '}
                {day(item.decision.decidedAt)}
              </Typography>
            )}
          </>
        ),
      },
      {
        title: 'Snapshot',
        field: 'snapshot.owner',
        sorting: false,
        cellStyle: { minWidth: 220 },
        render: item => <SnapshotCell item={item} />,
      },
      {
        title: 'Actions',
        sorting: false,
        render: item => (
          <Box
            display="flex"
            flexDirection="column"
            alignItems="flex-start"
            style={{ gap: 2, whiteSpace: 'nowrap' }}
            data-testid={`actions-${item.id}`}
          >
            {item.receives && (
              <>
                <Button
                  size="small"
                  color="primary"
                  variant="outlined"
                  onClick={() =>
                    setDialog({
                      kind: 'reassignment',
                      accept: true,
                      item: toItem(item),
                    })
                  }
                >
                  Accept
                </Button>
                <Button
                  size="small"
                  variant="outlined"
                  onClick={() =>
                    setDialog({
                      kind: 'reassignment',
                      accept: false,
                      item: toItem(item),
                    })
                  }
                >
                  Decline
                </Button>
              </>
            )}
            {item.decides &&
              REVIEW_DECISIONS.map(decision => (
                <Button
                  key={decision}
                  size="small"
                  variant={decision === 'certify' ? 'outlined' : 'text'}
                  color={decision === 'certify' ? 'primary' : 'default'}
                  onClick={() =>
                    setDialog({
                      kind: 'decision',
                      decision,
                      items: [toItem(item)],
                    })
                  }
                >
                  {DECISION_LABELS[decision]}
                </Button>
              ))}
          </Box>
        ),
      },
    ],
    [],
  );

  const rowCount = rows?.length ?? 0;
  const options = useMemo<TableProps<Row>['options']>(
    () => ({
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
    }),
    [rowCount],
  );

  if (loading && !rows) return <Progress />;
  if (error) {
    if (isAccessError(error)) {
      return identityRefs ? null : (
        <Typography variant="body2" color="textSecondary">
          Attestations are given by signed-in people: there is nothing for you
          to review.
        </Typography>
      );
    }
    return (
      <WarningPanel
        severity="error"
        title="Could not load pending attestations"
        message={errorMessage(error)}
      />
    );
  }
  if (!rows || rows.length === 0) return <>{emptyState ?? null}</>;

  return (
    <>
      {selected.length > 0 && (
        <Paper variant="outlined" style={{ marginBottom: 8 }}>
          <Toolbar
            role="toolbar"
            aria-label="Bulk decision"
            data-testid="bulk-actions"
            style={{ gap: 8, flexWrap: 'wrap' }}
          >
            <Typography variant="subtitle2" style={{ marginRight: 8 }}>
              {selected.length} selected: decide all at once
            </Typography>
            {REVIEW_DECISIONS.map(decision => (
              <Button
                key={decision}
                size="small"
                variant="outlined"
                color={decision === 'certify' ? 'primary' : 'default'}
                onClick={() =>
                  setDialog({
                    kind: 'decision',
                    decision,
                    items: selected.map(toItem),
                  })
                }
              >
                {DECISION_LABELS[decision]}
              </Button>
            ))}
          </Toolbar>
        </Paper>
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
      {dialog?.kind === 'decision' && (
        <DecisionDialog
          open
          decision={dialog.decision}
          items={dialog.items}
          bulk={dialog.items.length > 1}
          onClose={() => setDialog(undefined)}
          onDecided={reload}
        />
      )}
      {dialog?.kind === 'reassignment' && (
        <ReassignmentDialog
          open
          item={dialog.item}
          accept={dialog.accept}
          onClose={() => setDialog(undefined)}
          onDone={reload}
        />
      )}
    </>
  );
}
