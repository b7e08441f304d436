import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  ApprovalQueueItem,
  ExceptionRequest,
  MachineIdentityType,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { IdentityTypeIcon } from '../IdentityTypeIcon';
import { StatusText } from '../shared';
import { errorMessage } from './errors';
import { FormDialog } from './FormDialog';
import { findingTitle, shortRef } from './identityFilter';

const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');

const cellText = { whiteSpace: 'pre-wrap' as const, minWidth: 200 };

type ExceptionDecision = { request: ExceptionRequest; approve: boolean };

/** Pending exception requests, each with Approve and Reject (both ask for a reason). */
export function ExceptionQueue() {
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
  const [deciding, setDeciding] = useState<ExceptionDecision | undefined>();
  const pending = useAsyncRetry(
    () => nhiApi.listExceptions({ status: ['pending'] }),
    [nhiApi],
  );

  const columns: TableColumn<ExceptionRequest>[] = [
    {
      title: 'Identity',
      field: 'identity',
      highlight: true,
      render: r => <EntityRefLink entityRef={r.identity} hideIcon />,
    },
    {
      title: 'Finding',
      field: 'finding',
      render: r => findingTitle(r.finding),
    },
    {
      title: 'Justification',
      field: 'justification',
      cellStyle: cellText,
    },
    {
      title: 'Compensating controls',
      field: 'compensatingControls',
      cellStyle: cellText,
    },
    { title: 'Until', field: 'expiresAt', render: r => day(r.expiresAt) },
    {
      title: 'Requested by',
      field: 'requestedBy',
      render: r => (
        <>
          <EntityRefLink entityRef={r.requestedBy} defaultKind="user" />
          <Typography variant="caption" color="textSecondary" display="block">
            {day(r.requestedAt)}
          </Typography>
        </>
      ),
    },
    {
      title: 'Decision',
      sorting: false,
      render: r => (
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            size="small"
            variant="outlined"
            color="primary"
            onClick={() => setDeciding({ request: r, approve: true })}
            aria-label={`Approve the exception for ${shortRef(r.identity)}`}
          >
            Approve
          </Button>
          <Button
            size="small"
            variant="outlined"
            color="secondary"
            onClick={() => setDeciding({ request: r, approve: false })}
            aria-label={`Reject the exception for ${shortRef(r.identity)}`}
          >
            Reject
          </Button>
        </Box>
      ),
    },
  ];

  if (pending.loading && !pending.value) return <Progress />;
  if (pending.error) return <ResponseErrorPanel error={pending.error} />;
  const items = pending.value?.items ?? [];

  return (
    <>
      <Table<ExceptionRequest>
        title={`Exception requests (${items.length})`}
        subtitle="Keep a long-lived credential, skip a rotation or keep an admin scope, for a while"
        columns={columns}
        data={items}
        options={{
          paging: items.length > 10,
          pageSize: 10,
          search: items.length > 10,
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
        localization={{
          body: { emptyDataSourceMessage: 'No pending exception requests' },
        }}
      />
      <FormDialog
        open={!!deciding}
        title={
          deciding?.approve
            ? 'Approve the exception'
            : 'Reject the exception request'
        }
        description={
          deciding && (
            <>
              {findingTitle(deciding.request.finding)} on{' '}
              <strong>{shortRef(deciding.request.identity)}</strong>, until{' '}
              {day(deciding.request.expiresAt)}, requested by{' '}
              {shortRef(deciding.request.requestedBy)}.
              {deciding.approve &&
                ' While it lasts the finding no longer counts against compliance or risk.'}
            </>
          )
        }
        fields={[
          { name: 'reason', label: 'Reason', required: true, multiline: true },
        ]}
        submitLabel={deciding?.approve ? 'Approve' : 'Reject'}
        destructive={deciding ? !deciding.approve : false}
        onClose={() => setDeciding(undefined)}
        onSubmit={async ({ reason }) => {
          const { request, approve } = deciding!;
          await nhiApi.decideException(request.id, approve, reason);
          alertApi.post({
            message: `Exception for ${shortRef(request.identity)} ${
              approve ? 'approved' : 'rejected'
            }`,
            severity: 'success',
            display: 'transient',
          });
          pending.retry();
        }}
      />
    </>
  );
}

type ApprovalDecision = {
  item: ApprovalQueueItem;
  decision: 'approve' | 'send-back';
};

/** New identities waiting for security: Approve (ticket and reason) or Send back (reason). */
export function ApprovalQueue() {
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
  const [deciding, setDeciding] = useState<ApprovalDecision | undefined>();
  const [generation, setGeneration] = useState(0);
  const [total, setTotal] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();

  const data = useCallback(
    async (query: { page: number; pageSize: number }) => {
      try {
        const response = await nhiApi.getApprovalQueue({
          limit: query.pageSize,
          offset: query.page * query.pageSize,
        });
        setError(undefined);
        setTotal(response.totalItems);
        return {
          data: response.items,
          page: query.page,
          totalCount: response.totalItems,
        };
      } catch (e) {
        setError(errorMessage(e));
        throw new Error(errorMessage(e));
      }
    },
    [nhiApi],
  );

  const columns: TableColumn<ApprovalQueueItem>[] = [
    {
      title: 'Identity',
      field: 'identity',
      highlight: true,
      sorting: false,
      render: i => (
        <>
          <EntityRefLink entityRef={i.identity} hideIcon />
          {i.purpose && (
            <Typography variant="body2" color="textSecondary">
              {i.purpose}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Type',
      field: 'type',
      sorting: false,
      render: i => <IdentityTypeIcon type={i.type as MachineIdentityType} />,
    },
    {
      title: 'Owner',
      field: 'owner',
      sorting: false,
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
      render: i => i.environment ?? '—',
    },
    {
      title: 'Privilege',
      field: 'privilege',
      sorting: false,
      render: i => i.privilege ?? '—',
    },
    {
      title: 'First seen',
      field: 'firstSeenAt',
      sorting: false,
      render: i => day(i.firstSeenAt),
    },
    {
      title: 'Sent back',
      field: 'sentBack',
      sorting: false,
      render: i =>
        i.sentBack ? (
          <>
            <StatusText tone="warning">
              {day(i.sentBack.at)} by {shortRef(i.sentBack.by)}
            </StatusText>
            <Typography variant="caption" display="block">
              {i.sentBack.reason}
            </Typography>
          </>
        ) : (
          '—'
        ),
    },
    {
      title: 'Decision',
      sorting: false,
      render: i => (
        <Box display="flex" style={{ gap: 8 }}>
          <Button
            size="small"
            variant="outlined"
            color="primary"
            onClick={() => setDeciding({ item: i, decision: 'approve' })}
            aria-label={`Approve ${shortRef(i.identity)}`}
          >
            Approve
          </Button>
          <Button
            size="small"
            variant="outlined"
            color="secondary"
            onClick={() => setDeciding({ item: i, decision: 'send-back' })}
            aria-label={`Send back ${shortRef(i.identity)}`}
          >
            Send back
          </Button>
        </Box>
      ),
    },
  ];

  const approving = deciding?.decision === 'approve';

  return (
    <>
      {error && (
        <Typography color="error" role="alert">
          Could not load the approval queue: {error}
        </Typography>
      )}
      <Table<ApprovalQueueItem>
        key={generation}
        title={
          total === undefined
            ? 'New identities to approve'
            : `New identities to approve (${total.toLocaleString('en-US')})`
        }
        columns={columns}
        data={data as any}
        options={{
          paging: true,
          pageSize: 10,
          pageSizeOptions: [10, 25, 50],
          search: false,
          sorting: false,
          padding: 'dense',
          emptyRowsWhenPaging: false,
        }}
        localization={{
          body: {
            emptyDataSourceMessage: 'No new identities waiting for approval',
          },
        }}
      />
      <FormDialog
        open={!!deciding}
        title={
          approving
            ? 'Approve the new identity'
            : 'Send the identity back to its owner'
        }
        description={
          deciding && (
            <>
              <strong>{shortRef(deciding.item.identity)}</strong>
              {deciding.item.owner
                ? `, owned by ${shortRef(deciding.item.owner)}`
                : ', without an owner'}
              .{' '}
              {approving
                ? 'Record the change ticket that approved it.'
                : 'Say what the owner must change before it can be approved.'}
            </>
          )
        }
        fields={
          approving
            ? [
                { name: 'ticket', label: 'Ticket', required: true },
                {
                  name: 'reason',
                  label: 'Reason',
                  required: true,
                  multiline: true,
                },
              ]
            : [
                {
                  name: 'reason',
                  label: 'Reason',
                  required: true,
                  multiline: true,
                },
              ]
        }
        submitLabel={approving ? 'Approve' : 'Send back'}
        onClose={() => setDeciding(undefined)}
        onSubmit={async ({ ticket, reason }) => {
          const { item, decision } = deciding!;
          await nhiApi.decideApproval(item.identity, {
            decision,
            ...(decision === 'approve' ? { ticket } : {}),
            reason,
          });
          alertApi.post({
            message: `${shortRef(item.identity)} ${
              decision === 'approve' ? 'approved' : 'sent back'
            }`,
            severity: 'success',
            display: 'transient',
          });
          setGeneration(g => g + 1);
        }}
      />
    </>
  );
}

/** Both security queues, one above the other. */
export function QueuesPanel() {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ExceptionQueue />
      </Grid>
      <Grid item xs={12}>
        <ApprovalQueue />
      </Grid>
    </Grid>
  );
}
