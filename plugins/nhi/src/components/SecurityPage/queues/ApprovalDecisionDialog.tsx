import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { nhiApiRef } from '../../../api';
import { FormDialog, type FormDialogField } from '../FormDialog';
import { shortRef } from '../identityFilter';
import type { ApprovalDecision } from './approvalColumns';

const reasonField: FormDialogField = {
  name: 'reason',
  label: 'Reason',
  required: true,
  multiline: true,
};

function DecisionDescription(props: ApprovalDecision) {
  const { item, decision } = props;
  return (
    <>
      <strong>{shortRef(item.identity)}</strong>
      {item.owner ? `, owned by ${shortRef(item.owner)}` : ', without an owner'}
      .{' '}
      {decision === 'approve'
        ? 'Record the change ticket that approved it.'
        : 'Say what the owner must change before it can be approved.'}
    </>
  );
}

/** Asks for the ticket and reason of an approval (or the reason to send back), and records it. */
export function ApprovalDecisionDialog(props: {
  deciding?: ApprovalDecision;
  onClose: () => void;
  onDecided: () => void;
}) {
  const { deciding } = props;
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
  const approving = deciding?.decision === 'approve';
  return (
    <FormDialog
      open={!!deciding}
      title={
        approving
          ? 'Approve the new identity'
          : 'Send the identity back to its owner'
      }
      description={deciding && <DecisionDescription {...deciding} />}
      fields={
        approving
          ? [{ name: 'ticket', label: 'Ticket', required: true }, reasonField]
          : [reasonField]
      }
      submitLabel={approving ? 'Approve' : 'Send back'}
      onClose={props.onClose}
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
        props.onDecided();
      }}
    />
  );
}
