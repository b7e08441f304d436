import Grid from '@material-ui/core/Grid';
import { ApprovalQueue } from './ApprovalQueue';
import { ExceptionQueue } from './ExceptionQueue';

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
