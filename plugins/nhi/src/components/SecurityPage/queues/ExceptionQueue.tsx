import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { ExceptionRequest } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { pagedTable } from '../compactTable';
import { ExceptionDecisionDialog } from './ExceptionDecisionDialog';
import { type ExceptionDecision, exceptionColumns } from './exceptionColumns';

/** Pending exception requests, each with Approve and Reject (both ask for a reason). */
export function ExceptionQueue() {
  const nhiApi = useApi(nhiApiRef);
  const [deciding, setDeciding] = useState<ExceptionDecision | undefined>();
  const pending = useAsyncRetry(
    () => nhiApi.listExceptions({ status: ['pending'] }),
    [nhiApi],
  );

  if (pending.loading && !pending.value) return <Progress />;
  if (pending.error) return <ResponseErrorPanel error={pending.error} />;
  const items = pending.value?.items ?? [];

  return (
    <>
      <Table<ExceptionRequest>
        title={`Exception requests (${items.length})`}
        subtitle="Keep a long-lived credential, skip a rotation or keep an admin scope, for a while"
        columns={exceptionColumns(setDeciding)}
        data={items}
        options={pagedTable(items.length, items.length > 10)}
        localization={{
          body: { emptyDataSourceMessage: 'No pending exception requests' },
        }}
      />
      <ExceptionDecisionDialog
        deciding={deciding}
        onClose={() => setDeciding(undefined)}
        onDecided={pending.retry}
      />
    </>
  );
}
