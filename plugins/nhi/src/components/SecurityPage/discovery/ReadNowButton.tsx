import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';

/** Where a "Read now" of one source stands; kept by the panel so a reload of its rows keeps it. */
export type ReadState =
  | { running: true }
  | { running: false; ok: true; rows: number; warnings: number }
  | { running: false; ok: false; error: string };

/** Reads a source now instead of at its next scheduled time. */
export function ReadNowButton(props: {
  sourceId: string;
  state?: ReadState;
  onRead: (sourceId: string) => void;
}) {
  const { sourceId, state } = props;
  const running = state?.running === true;
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        disabled={running}
        onClick={() => props.onRead(sourceId)}
        startIcon={running ? <CircularProgress size={14} /> : undefined}
      >
        {running ? 'Reading…' : 'Read now'}
      </Button>
      {state && !state.running && state.ok && (
        <Typography variant="caption" display="block" color="textSecondary">
          Read {state.rows} row{state.rows === 1 ? '' : 's'}
          {state.warnings > 0 &&
            `, ${state.warnings} warning${state.warnings === 1 ? '' : 's'}`}
        </Typography>
      )}
      {state && !state.running && !state.ok && (
        <Typography
          variant="body2"
          color="error"
          role="alert"
          data-testid="read-now-error"
        >
          Read failed: {state.error}
        </Typography>
      )}
    </>
  );
}
