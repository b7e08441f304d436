import type { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type {
  ApprovalQueueItem,
  MachineIdentityType,
} from '@nhi-governance/plugin-nhi-common';
import { IdentityTypeIcon } from '../../IdentityTypeIcon';
import { OwnerLink, StatusText } from '../../shared';
import { day } from '../day';
import { shortRef } from '../identityFilter';
import { DecisionButtons } from './DecisionButtons';

export type ApprovalDecision = {
  item: ApprovalQueueItem;
  decision: 'approve' | 'send-back';
};

function IdentityCell(props: { item: ApprovalQueueItem }) {
  const { identity, purpose } = props.item;
  return (
    <>
      <EntityRefLink entityRef={identity} hideIcon />
      {purpose && (
        <Typography variant="body2" color="textSecondary">
          {purpose}
        </Typography>
      )}
    </>
  );
}

function SentBackCell(props: { item: ApprovalQueueItem }) {
  const { sentBack } = props.item;
  if (!sentBack) return <>—</>;
  return (
    <>
      <StatusText tone="warning">
        {day(sentBack.at)} by {shortRef(sentBack.by)}
      </StatusText>
      <Typography variant="caption" display="block">
        {sentBack.reason}
      </Typography>
    </>
  );
}

/** The approval queue's columns (the backend orders it); the last offers Approve and Send back. */
export function approvalColumns(
  decide: (decision: ApprovalDecision) => void,
): TableColumn<ApprovalQueueItem>[] {
  const columns: TableColumn<ApprovalQueueItem>[] = [
    {
      title: 'Identity',
      field: 'identity',
      highlight: true,
      render: i => <IdentityCell item={i} />,
    },
    {
      title: 'Type',
      field: 'type',
      render: i => <IdentityTypeIcon type={i.type as MachineIdentityType} />,
    },
    {
      title: 'Owner',
      field: 'owner',
      render: i => <OwnerLink owner={i.owner} />,
    },
    {
      title: 'Environment',
      field: 'environment',
      render: i => i.environment ?? '—',
    },
    {
      title: 'Privilege',
      field: 'privilege',
      render: i => i.privilege ?? '—',
    },
    {
      title: 'First seen',
      field: 'firstSeenAt',
      render: i => day(i.firstSeenAt),
    },
    {
      title: 'Sent back',
      field: 'sentBack',
      render: i => (i.sentBack ? <SentBackCell item={i} /> : '—'),
    },
    {
      title: 'Decision',
      render: i => (
        <DecisionButtons
          approve={{
            label: 'Approve',
            ariaLabel: `Approve ${shortRef(i.identity)}`,
            onClick: () => decide({ item: i, decision: 'approve' }),
          }}
          refuse={{
            label: 'Send back',
            ariaLabel: `Send back ${shortRef(i.identity)}`,
            onClick: () => decide({ item: i, decision: 'send-back' }),
          }}
        />
      ),
    },
  ];
  return columns.map(c => ({ ...c, sorting: false }));
}
