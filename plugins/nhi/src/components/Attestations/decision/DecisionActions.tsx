import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import DialogActions from '@material-ui/core/DialogActions';
import Typography from '@material-ui/core/Typography';

/** Cancel and Confirm, with the first thing still missing beside them. */
export function DecisionActions(props: {
  problems: string[];
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { problems, busy } = props;
  return (
    <DialogActions>
      {problems.length > 0 && (
        <Typography
          variant="caption"
          color="textSecondary"
          style={{ marginRight: 'auto', paddingLeft: 8 }}
        >
          {problems[0]}
        </Typography>
      )}
      <Button onClick={props.onCancel} disabled={busy}>
        Cancel
      </Button>
      <Button
        color="primary"
        variant="contained"
        onClick={props.onConfirm}
        disabled={problems.length > 0 || busy}
        data-testid="decision-confirm"
        startIcon={busy ? <CircularProgress size={16} /> : undefined}
      >
        Confirm
      </Button>
    </DialogActions>
  );
}
