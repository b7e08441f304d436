import Typography from '@material-ui/core/Typography';
import type {
  ReviewDecisionKind,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { DECISION_MEANINGS, day } from '../helpers';
import { SnapshotDetails } from '../SnapshotDetails';
import { BulkList } from './BulkList';

/** What the decision means and what is being decided on: one snapshot, or the list of identities. */
export function DecisionSubject(props: {
  decision: ReviewDecisionKind;
  items: ReviewItem[];
  bulk: boolean;
}) {
  const { decision, items, bulk } = props;
  return (
    <>
      <Typography variant="body2" paragraph>
        {DECISION_MEANINGS[decision]}
      </Typography>
      {bulk && (
        <Typography variant="body2" paragraph>
          One justification is recorded on every identity below. The batch is
          all or nothing: if the server refuses one identity, none is decided.
        </Typography>
      )}
      {items.length === 1 && !bulk ? (
        <>
          <Typography variant="caption" color="textSecondary">
            As recorded when campaign {items[0].period} opened; due{' '}
            {day(items[0].dueAt)}.
          </Typography>
          <SnapshotDetails item={items[0]} />
        </>
      ) : (
        <BulkList items={items} />
      )}
    </>
  );
}
