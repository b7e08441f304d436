import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import type { ReviewItem } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { DialogError, RecordedTextField, useDialogSubmit } from './dialogParts';
import { shortRef } from './helpers';
import { SnapshotDetails } from './SnapshotDetails';

export interface ReassignmentDialogProps {
  open: boolean;
  item: ReviewItem;
  /** Accept the identity (it becomes the group's to review) or decline it (it goes back). */
  accept: boolean;
  onClose: () => void;
  onDone?: () => void;
}

/** The receiving group accepts or declines an identity handed over to it, with a justification. */
export function ReassignmentDialog(props: ReassignmentDialogProps) {
  const { open, item, accept, onClose, onDone } = props;
  const nhiApi = useApi(nhiApiRef);
  const [justification, setJustification] = useState('');
  const { busy, error, reset, submit } = useDialogSubmit();

  useEffect(() => {
    if (open) {
      setJustification('');
      reset();
    }
  }, [open, item.id, accept, reset]);

  const name = shortRef(item.identity);
  const confirm = async () => {
    if (!justification.trim() || busy) return;
    const done = await submit(async () => ({
      result: await nhiApi.respondToReassignment(item.id, {
        accept,
        justification: justification.trim(),
      }),
      message: accept
        ? `Accepted: ${name} is now yours to review`
        : `Declined: ${name} goes back to ${item.assignee}`,
    }));
    if (done) onDone?.();
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="nhi-reassignment-dialog-title"
      data-testid="reassignment-dialog"
    >
      <DialogTitle id="nhi-reassignment-dialog-title">
        {accept ? 'Accept' : 'Decline'}: {name}
      </DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" paragraph>
          {item.assignee} asked {item.reassignTo} to take this identity over.{' '}
          {accept
            ? 'Accepting makes it your group’s to review in campaign '
            : 'Declining sends it back to them for campaign '}
          {item.period}.
        </Typography>
        <SnapshotDetails item={item} />
        <RecordedTextField
          id="nhi-reassignment-justification"
          label="Justification"
          value={justification}
          onChange={setJustification}
          testId="justification"
        />
        <DialogError error={error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={!justification.trim() || busy}
        >
          Confirm
        </Button>
      </DialogActions>
    </Dialog>
  );
}
