import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import type {
  ExceptionRequest,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { DialogError, RecordedTextField, useDialogSubmit } from './dialogParts';
import {
  ExceptionFindingSelect,
  ExpiryDateField,
} from './exception/ExceptionFields';
import {
  useExceptionChoices,
  useExceptionForm,
} from './exception/useExceptionForm';
import { shortRef } from './helpers';

export interface RequestExceptionDialogProps {
  open: boolean;
  identity: IdentityView;
  onClose: () => void;
  /** After the server recorded the request (a success alert has been posted). */
  onRequested?: (request: ExceptionRequest) => void;
}

const intro = (
  <Typography variant="body2" paragraph>
    An approved exception keeps the finding visible but stops it counting
    against compliance until it ends. Someone from security other than you
    approves or rejects it.
  </Typography>
);

/**
 * Asks security for an exception: keep a long-lived credential, skip rotation or keep admin
 * scope, until a date at most a year ahead, with compensating controls.
 */
export function RequestExceptionDialog(props: RequestExceptionDialogProps) {
  const { open, identity, onClose, onRequested } = props;
  const nhiApi = useApi(nhiApiRef);

  const { openNow, choices } = useExceptionChoices(identity);
  const { busy, error, reset, submit: send } = useDialogSubmit();
  const form = useExceptionForm(open, identity.ref, choices, reset);
  const { finding, justification, controls, expiresOn } = form;
  const { complete, dateProblem } = form;

  const submit = async () => {
    if (!complete || busy) return;
    const request = await send(async () => ({
      result: await nhiApi.requestException(form.input(identity.ref)),
      message: `Exception requested for ${shortRef(
        identity.ref,
      )}: security will approve or reject it`,
    }));
    if (request) onRequested?.(request);
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="nhi-exception-dialog-title"
      data-testid="exception-dialog"
    >
      <DialogTitle id="nhi-exception-dialog-title">
        Request an exception: {shortRef(identity.ref)}
      </DialogTitle>
      <DialogContent dividers>
        {intro}
        <ExceptionFindingSelect
          value={finding}
          onChange={form.setFinding}
          choices={choices}
          openNow={openNow}
        />
        <RecordedTextField
          id="nhi-exception-justification"
          label="Justification"
          value={justification}
          onChange={form.setJustification}
          testId="exception-justification"
        />
        <RecordedTextField
          id="nhi-exception-controls"
          label="Compensating controls"
          value={controls}
          onChange={form.setControls}
          helperText="What limits the risk meanwhile, e.g. IP allow-list, alerting on use."
          testId="exception-controls"
        />
        <ExpiryDateField
          value={expiresOn}
          onChange={form.setExpiresOn}
          problem={dateProblem}
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
          onClick={submit}
          disabled={!complete || busy}
        >
          Request exception
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** A button that opens the exception request dialog for one identity. */
export function RequestExceptionButton(props: {
  identity: IdentityView;
  onRequested?: (request: ExceptionRequest) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outlined"
        size="small"
        onClick={() => setOpen(true)}
        data-testid="request-exception"
      >
        Request exception
      </Button>
      {open && (
        <RequestExceptionDialog
          open
          identity={props.identity}
          onClose={() => setOpen(false)}
          onRequested={request => {
            setOpen(false);
            props.onRequested?.(request);
          }}
        />
      )}
    </>
  );
}
