import { useCallback, useState } from 'react';
import { Table } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { ApprovalQueueItem } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { type RemotePageQuery, useRemotePages } from '../useRemotePages';
import { ApprovalDecisionDialog } from './ApprovalDecisionDialog';
import { type ApprovalDecision, approvalColumns } from './approvalColumns';

/** New identities waiting for security: Approve (ticket and reason) or Send back (reason). */
export function ApprovalQueue() {
  const [deciding, setDeciding] = useState<ApprovalDecision | undefined>();
  const [generation, setGeneration] = useState(0);
  const nhiApi = useApi(nhiApiRef);
  const load = useCallback(
    (query: RemotePageQuery) =>
      nhiApi.getApprovalQueue({
        limit: query.pageSize,
        offset: query.page * query.pageSize,
      }),
    [nhiApi],
  );
  const { data, total, error } = useRemotePages(load);

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
        columns={approvalColumns(setDeciding)}
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
      <ApprovalDecisionDialog
        deciding={deciding}
        onClose={() => setDeciding(undefined)}
        onDecided={() => setGeneration(g => g + 1)}
      />
    </>
  );
}
