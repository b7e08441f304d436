import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { progressPercent, progressText } from './evidenceForm';
import type { EvidenceDownloadState } from './useEvidenceDownload';

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
} as const;

/** Progress while the package arrives, then what became of it (errors are the dialog's). */
export function DownloadStatus(props: { state: EvidenceDownloadState }) {
  const { state } = props;
  switch (state.status) {
    case 'running':
      return (
        <Box mt={2}>
          <LinearProgress
            variant="determinate"
            value={progressPercent(state.progress)}
            aria-label="Export progress"
          />
          {/* The byte count changes with every chunk: only the file being written is announced. */}
          <Typography variant="body2" aria-hidden style={{ marginTop: 8 }}>
            {progressText(state.progress)}
          </Typography>
          <span role="status" style={visuallyHidden}>
            {state.progress?.entry ?? ''}
          </span>
        </Box>
      );
    case 'done':
      return (
        <Typography role="status" style={{ marginTop: 16 }}>
          Downloaded {state.filename}
        </Typography>
      );
    case 'cancelled':
      return (
        <Typography role="status" style={{ marginTop: 16 }}>
          Export cancelled
        </Typography>
      );
    default:
      return null;
  }
}
