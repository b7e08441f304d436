import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import {
  REVIEW_DECISIONS,
  type ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { IdentityTypeIcon } from '../../IdentityTypeIcon';
import { FindingChips } from '../../shared';
import { DECISION_LABELS, day, isOverdue, toFinding } from '../helpers';
import { RefLink } from '../SnapshotDetails';
import { type OpenDialog, type Row, toItem } from './pendingRows';

const STATE_LABELS: Record<ReviewItem['state'], string> = {
  pending: 'pending',
  'awaiting-reassignment': 'awaiting reassignment',
  escalated: 'escalated',
  decided: 'decided',
};

export function StateCell(props: { item: ReviewItem }) {
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

export function DueCell(props: { item: ReviewItem }) {
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

export function SnapshotCell(props: { item: ReviewItem }) {
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

export function IdentityCell(props: { item: ReviewItem }) {
  const { item } = props;
  return (
    <>
      <RefLink entityRef={item.identity} />
      <Typography variant="caption" color="textSecondary" component="div">
        <IdentityTypeIcon type={item.snapshot.type} />
      </Typography>
      {item.newSinceLastCampaign && (
        <Chip size="small" label="new" variant="outlined" />
      )}
    </>
  );
}

/** The current decision, if any, under the state: one column for where the item stands. */
export function StandingCell(props: { item: ReviewItem }) {
  const { item } = props;
  return (
    <>
      <StateCell item={item} />
      {item.decision && (
        <Typography variant="caption" color="textSecondary" display="block">
          {DECISION_LABELS[item.decision.decision]} by{' '}
          {item.decision.decidedBy.replace(/^user:(default\/)?/, '')},{' '}
          {day(item.decision.decidedAt)}
        </Typography>
      )}
    </>
  );
}

/** Accept or Decline for the group asked to take the item over, then the decisions for a reviewer. */
export function ActionsCell(props: {
  row: Row;
  open: (dialog: OpenDialog) => void;
}) {
  const { row, open } = props;
  const reassignment = (accept: boolean) => () =>
    open({ kind: 'reassignment', accept, item: toItem(row) });
  return (
    <Box
      display="flex"
      flexDirection="column"
      alignItems="flex-start"
      style={{ gap: 2, whiteSpace: 'nowrap' }}
      data-testid={`actions-${row.id}`}
    >
      {row.receives && (
        <>
          <Button
            size="small"
            color="primary"
            variant="outlined"
            onClick={reassignment(true)}
          >
            Accept
          </Button>
          <Button size="small" variant="outlined" onClick={reassignment(false)}>
            Decline
          </Button>
        </>
      )}
      {row.decides &&
        REVIEW_DECISIONS.map(decision => (
          <Button
            key={decision}
            size="small"
            variant={decision === 'certify' ? 'outlined' : 'text'}
            color={decision === 'certify' ? 'primary' : 'default'}
            onClick={() =>
              open({ kind: 'decision', decision, items: [toItem(row)] })
            }
          >
            {DECISION_LABELS[decision]}
          </Button>
        ))}
    </Box>
  );
}
