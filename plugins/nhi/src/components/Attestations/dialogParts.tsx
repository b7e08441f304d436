import { useCallback, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { errorMessage } from './helpers';

/**
 * The send step of a dialog: busy while the request runs, the server's own message when it
 * refuses (the dialog stays open), a success alert when it answers.
 */
export function useDialogSubmit() {
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const reset = useCallback(() => {
    setBusy(false);
    setError(undefined);
  }, []);

  /** Runs `send`; its answer's `message` is the success alert. */
  const submit = async <T,>(
    send: () => Promise<{ result: T; message: string }>,
  ): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      const { result, message } = await send();
      alertApi.post({ message, severity: 'success', display: 'transient' });
      setBusy(false);
      return result;
    } catch (e) {
      setBusy(false);
      setError(errorMessage(e));
      return undefined;
    }
  };

  return { busy, error, reset, submit };
}

/** A required, multi-line text a person writes for the record (justification, controls). */
export function RecordedTextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  helperText?: string;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      required
      fullWidth
      multiline
      minRows={2}
      margin="normal"
      helperText={props.helperText}
      inputProps={{ 'data-testid': props.testId }}
    />
  );
}

/** The server's refusal, read out to screen readers. */
export function DialogError(props: { error?: string; testId?: string }) {
  if (!props.error) return null;
  return (
    <Typography
      color="error"
      role="alert"
      variant="body2"
      data-testid={props.testId}
    >
      {props.error}
    </Typography>
  );
}
