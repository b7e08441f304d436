import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  DiscoverySourceHealth,
  DiscoveryWarning,
} from '@nhi-governance/plugin-nhi-common';

type Run = DiscoverySourceHealth['runs'][number];

/** The latest run that is over: one being read now has no warnings to show yet. */
export const lastFinishedRun = (
  source: DiscoverySourceHealth,
): Run | undefined => source.runs.find(r => r.status !== 'running');

/** A run's warning count in words. */
export const warningWords = (count: number) => {
  if (count === 0) return 'No warnings';
  return `${count} warning${count === 1 ? '' : 's'}`;
};

/** Each warning of a run: where in the file, the field, and why; never the value. */
export function WarningsDialog(props: {
  sourceId: string;
  count: number;
  warnings: DiscoveryWarning[];
  onClose: () => void;
}) {
  const { sourceId, count, warnings } = props;
  const titleId = `warnings-of-${sourceId}`;
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>
        Warnings of the last read of {sourceId}
      </DialogTitle>
      <DialogContent>
        <Typography paragraph>
          The file was read, but not these values in it: each one counts as
          unknown (or, where a record cannot do without it, the record was left
          out). Fix them where the file is made.
          {count > warnings.length &&
            ` The first ${warnings.length} of ${count} are shown.`}
        </Typography>
        {warnings.length === 0 ? (
          <Typography color="textSecondary">
            Only the latest reads keep their list of warnings.
          </Typography>
        ) : (
          <Table size="small" aria-label={`Warnings of ${sourceId}`}>
            <TableHead>
              <TableRow>
                <TableCell>Where</TableCell>
                <TableCell>Field</TableCell>
                <TableCell>Reason</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {warnings.map((w, i) => (
                <TableRow key={i}>
                  <TableCell>{w.location}</TableCell>
                  <TableCell>
                    <code>{w.field}</code>
                  </TableCell>
                  <TableCell>{w.reason}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

/** The warning count of a source's last read, and a way to see each warning. */
export function RunWarningsCell(props: { source: DiscoverySourceHealth }) {
  const { source } = props;
  const [open, setOpen] = useState(false);
  const run = lastFinishedRun(source);
  if (!run) return <>—</>;
  return (
    <>
      <Typography variant="body2" data-testid="warning-count">
        {warningWords(run.warningCount)}
      </Typography>
      {run.warningCount > 0 && (
        <Button
          size="small"
          onClick={() => setOpen(true)}
          aria-label={`Show warnings of ${source.id}`}
        >
          Show warnings
        </Button>
      )}
      {open && (
        <WarningsDialog
          sourceId={source.id}
          count={run.warningCount}
          warnings={run.warnings}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
