import { useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  EXCEPTABLE_FINDINGS,
  ExceptableFinding,
  ExceptionRequest,
  FINDING_DEFINITIONS,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { DialogError, RecordedTextField, useDialogSubmit } from './dialogParts';
import { isExceptable, shortRef } from './helpers';

/** `YYYY-MM-DD` of a time, in UTC. */
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const addDays = (d: Date, days: number) =>
  new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days),
  );

/** The same day a year later (28 February for 29 February), as the server counts a year. */
function oneYearAhead(d: Date) {
  const year = d.getUTCFullYear() + 1;
  const month = d.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay)));
}

/** The dates an exception may end on: after today, at most a year ahead, 90 days by default. */
export function expiryBounds(now = new Date()) {
  return {
    min: isoDay(addDays(now, 1)),
    max: isoDay(oneYearAhead(now)),
    initial: isoDay(addDays(now, 90)),
  };
}

/** Why an expiry date is refused, or undefined when it is fine. */
export function expiryProblem(date: string, now = new Date()) {
  const { min, max } = expiryBounds(now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    return 'Pick the date the exception ends.';
  }
  if (date < min) return 'The exception must end after today.';
  if (date > max) return `At most one year ahead: ${max} at the latest.`;
  return undefined;
}

/** The findings open on the identity that an exception may cover (not already excepted). */
export function exceptableFindings(identity: IdentityView) {
  return (identity.status?.findings ?? [])
    .filter(f => !f.exception && isExceptable(f.code))
    .map(f => f.code as ExceptableFinding);
}

export interface RequestExceptionDialogProps {
  open: boolean;
  identity: IdentityView;
  onClose: () => void;
  /** After the server recorded the request (a success alert has been posted). */
  onRequested?: (request: ExceptionRequest) => void;
}

/**
 * Asks security for an exception: keep a long-lived credential, skip rotation or keep admin
 * scope, until a date at most a year ahead, with compensating controls.
 */
export function RequestExceptionDialog(props: RequestExceptionDialogProps) {
  const { open, identity, onClose, onRequested } = props;
  const nhiApi = useApi(nhiApiRef);

  const openCodes = exceptableFindings(identity);
  const openKey = openCodes.join(',');
  const choices: readonly ExceptableFinding[] = useMemo(
    () =>
      openKey
        ? (openKey.split(',') as ExceptableFinding[])
        : EXCEPTABLE_FINDINGS,
    [openKey],
  );
  const bounds = expiryBounds();

  const [finding, setFinding] = useState<ExceptableFinding>(choices[0]);
  const [justification, setJustification] = useState('');
  const [controls, setControls] = useState('');
  const [expiresOn, setExpiresOn] = useState(bounds.initial);
  const { busy, error, reset, submit: send } = useDialogSubmit();

  useEffect(() => {
    if (open) {
      setFinding(choices[0]);
      setJustification('');
      setControls('');
      setExpiresOn(expiryBounds().initial);
      reset();
    }
  }, [open, identity.ref, choices, reset]);

  const dateProblem = expiryProblem(expiresOn);
  const complete =
    !!justification.trim() && !!controls.trim() && !dateProblem && !!finding;

  const submit = async () => {
    if (!complete || busy) return;
    const request = await send(async () => ({
      result: await nhiApi.requestException({
        identity: identity.ref,
        finding,
        justification: justification.trim(),
        compensatingControls: controls.trim(),
        expiresAt: `${expiresOn}T00:00:00.000Z`,
      }),
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
        <Typography variant="body2" paragraph>
          An approved exception keeps the finding visible but stops it counting
          against compliance until it ends. Someone from security other than you
          approves or rejects it.
        </Typography>
        <TextField
          select
          id="nhi-exception-finding"
          label="Finding"
          value={finding}
          onChange={e => setFinding(e.target.value as ExceptableFinding)}
          SelectProps={{ native: true }}
          fullWidth
          margin="normal"
          helperText={
            openCodes.length
              ? 'The findings open on this identity that an exception may cover.'
              : 'No such finding is open now; you may still ask ahead.'
          }
          inputProps={{ 'data-testid': 'exception-finding' }}
        >
          {choices.map(code => (
            <option key={code} value={code}>
              {FINDING_DEFINITIONS[code].title} ({code})
            </option>
          ))}
        </TextField>
        <RecordedTextField
          id="nhi-exception-justification"
          label="Justification"
          value={justification}
          onChange={setJustification}
          testId="exception-justification"
        />
        <RecordedTextField
          id="nhi-exception-controls"
          label="Compensating controls"
          value={controls}
          onChange={setControls}
          helperText="What limits the risk meanwhile, e.g. IP allow-list, alerting on use."
          testId="exception-controls"
        />
        <TextField
          id="nhi-exception-expires"
          label="Expires on"
          type="date"
          value={expiresOn}
          onChange={e => setExpiresOn(e.target.value)}
          required
          fullWidth
          margin="normal"
          InputLabelProps={{ shrink: true }}
          error={!!dateProblem}
          helperText={
            dateProblem ?? `UTC; at most one year ahead (${bounds.max}).`
          }
          inputProps={{
            min: bounds.min,
            max: bounds.max,
            'data-testid': 'exception-expires',
          }}
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
