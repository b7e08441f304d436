import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { nhiApiRef } from '../../../api';
import { day } from '../day';
import { FormDialog } from '../FormDialog';
import { findingTitle, shortRef } from '../identityFilter';
import type { ExceptionDecision } from './exceptionColumns';

function DecisionDescription(props: ExceptionDecision) {
  const { request, approve } = props;
  return (
    <>
      {findingTitle(request.finding)} on{' '}
      <strong>{shortRef(request.identity)}</strong>, until{' '}
      {day(request.expiresAt)}, requested by {shortRef(request.requestedBy)}.
      {approve &&
        ' While it lasts the finding no longer counts against compliance or risk.'}
    </>
  );
}

/** Asks for the reason of approving or rejecting an exception request, and records it. */
export function ExceptionDecisionDialog(props: {
  deciding?: ExceptionDecision;
  onClose: () => void;
  onDecided: () => void;
}) {
  const { deciding } = props;
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
  return (
    <FormDialog
      open={!!deciding}
      title={
        deciding?.approve
          ? 'Approve the exception'
          : 'Reject the exception request'
      }
      description={deciding && <DecisionDescription {...deciding} />}
      fields={[
        { name: 'reason', label: 'Reason', required: true, multiline: true },
      ]}
      submitLabel={deciding?.approve ? 'Approve' : 'Reject'}
      destructive={deciding ? !deciding.approve : false}
      onClose={props.onClose}
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
        props.onDecided();
      }}
    />
  );
}
