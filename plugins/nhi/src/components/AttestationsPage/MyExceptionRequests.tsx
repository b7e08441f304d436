import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import {
  ExceptionRequest,
  ExceptionStatus,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { StatusText } from '../shared';
import { RefLink } from '../Attestations/SnapshotDetails';
import {
  DASH,
  day,
  errorMessage,
  isAccessError,
} from '../Attestations/helpers';

const TITLE = 'My exception requests';

const STATUS_TONE: Record<
  ExceptionStatus,
  'ok' | 'warning' | 'error' | 'pending' | 'aborted'
> = {
  pending: 'pending',
  approved: 'ok',
  rejected: 'error',
  expired: 'aborted',
};

const columns: TableColumn<ExceptionRequest>[] = [
  {
    title: 'Identity',
    field: 'identity',
    highlight: true,
    render: e => <RefLink entityRef={e.identity} />,
  },
  {
    title: 'Finding',
    field: 'finding',
    render: e => builtInFindingDefinition(e.finding)?.title ?? e.finding,
  },
  {
    title: 'Status',
    field: 'status',
    render: e => (
      <span data-status={e.status}>
        <StatusText tone={STATUS_TONE[e.status]}>{e.status}</StatusText>
      </span>
    ),
  },
  { title: 'Expires', field: 'expiresAt', render: e => day(e.expiresAt) },
  {
    title: 'Requested',
    field: 'requestedAt',
    defaultSort: 'desc',
    render: e => day(e.requestedAt),
  },
  {
    title: 'Justification',
    field: 'justification',
    sorting: false,
    render: e => (
      <>
        <Typography variant="body2">{e.justification}</Typography>
        <Typography variant="caption" color="textSecondary" display="block">
          Controls: {e.compensatingControls}
        </Typography>
      </>
    ),
  },
  {
    title: 'Decision',
    field: 'decidedAt',
    sorting: false,
    render: e =>
      e.decidedBy ? (
        <>
          <Typography variant="body2">
            {e.decidedBy}, {day(e.decidedAt)}
          </Typography>
          {e.decisionReason && (
            <Typography variant="caption" color="textSecondary">
              {e.decisionReason}
            </Typography>
          )}
        </>
      ) : (
        DASH
      ),
  },
];

/** The exceptions the viewer asked for, with where each stands. */
export function MyExceptionRequests() {
  const nhiApi = useApi(nhiApiRef);
  const { value, loading, error } = useAsync(
    () => nhiApi.listExceptions({ mine: true }),
    [nhiApi],
  );
  if (loading) return <Progress />;
  if (error) {
    if (isAccessError(error)) return null;
    return (
      <WarningPanel
        severity="error"
        title="Could not load your exception requests"
        message={errorMessage(error)}
      />
    );
  }
  const items = value?.items ?? [];
  if (items.length === 0) {
    return (
      <InfoCard title={TITLE}>
        <Typography variant="body2" color="textSecondary">
          You have not requested any exceptions.
        </Typography>
      </InfoCard>
    );
  }
  return (
    <Table<ExceptionRequest>
      title={`${TITLE} (${items.length})`}
      columns={columns}
      data={items}
      options={{
        paging: items.length > 20,
        pageSize: 20,
        search: items.length > 5,
        padding: 'dense',
      }}
    />
  );
}
