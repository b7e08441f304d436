import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Toolbar from '@material-ui/core/Toolbar';
import Typography from '@material-ui/core/Typography';
import {
  REVIEW_DECISIONS,
  type ReviewDecisionKind,
} from '@nhi-governance/plugin-nhi-common';
import { DECISION_LABELS } from '../helpers';

/** Above the table while rows are selected: one button per decision for all of them. */
export function BulkDecisionBar(props: {
  count: number;
  onDecide: (decision: ReviewDecisionKind) => void;
}) {
  return (
    <Paper variant="outlined" style={{ marginBottom: 8 }}>
      <Toolbar
        role="toolbar"
        aria-label="Bulk decision"
        data-testid="bulk-actions"
        style={{ gap: 8, flexWrap: 'wrap' }}
      >
        <Typography variant="subtitle2" style={{ marginRight: 8 }}>
          {props.count} selected: decide all at once
        </Typography>
        {REVIEW_DECISIONS.map(decision => (
          <Button
            key={decision}
            size="small"
            variant="outlined"
            color={decision === 'certify' ? 'primary' : 'default'}
            onClick={() => props.onDecide(decision)}
          >
            {DECISION_LABELS[decision]}
          </Button>
        ))}
      </Toolbar>
    </Paper>
  );
}
