import { type ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import TextField from '@material-ui/core/TextField';
import { DialogForm } from './DialogForm';
import { errorMessage } from './errors';

export interface FormDialogField {
  name: string;
  label: string;
  required?: boolean;
  multiline?: boolean;
  type?: 'text' | 'date';
  defaultValue?: string;
  helperText?: string;
}

export interface FormDialogProps {
  open: boolean;
  title: string;
  /** What the action does, above the fields. */
  description?: ReactNode;
  /** No fields makes it a confirmation. */
  fields?: FormDialogField[];
  submitLabel: string;
  /** Shown in the error colour, for what cannot be undone. */
  destructive?: boolean;
  /** The values by field name, trimmed. A rejection keeps the dialog open with its message. */
  onSubmit: (values: Record<string, string>) => Promise<unknown>;
  onClose: () => void;
}

const initialValues = (fields: FormDialogField[]) =>
  Object.fromEntries(fields.map(f => [f.name, f.defaultValue ?? '']));

/** One outlined text input per field; dates show their label above. */
function FormDialogFields(props: {
  fields: FormDialogField[];
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  disabled: boolean;
}) {
  return (
    <>
      {props.fields.map(f => (
        <TextField
          key={f.name}
          id={`nhi-form-dialog-${f.name}`}
          name={f.name}
          label={f.label}
          required={f.required}
          multiline={f.multiline}
          minRows={f.multiline ? 3 : undefined}
          type={f.type ?? 'text'}
          value={props.values[f.name] ?? ''}
          onChange={e => props.onChange(f.name, e.target.value)}
          helperText={f.helperText}
          fullWidth
          margin="dense"
          variant="outlined"
          disabled={props.disabled}
          InputLabelProps={f.type === 'date' ? { shrink: true } : undefined}
        />
      ))}
    </>
  );
}

function SubmitButton(props: {
  label: string;
  destructive?: boolean;
  disabled: boolean;
  busy: boolean;
}) {
  return (
    <Button
      type="submit"
      color={props.destructive ? 'secondary' : 'primary'}
      variant="contained"
      disabled={props.disabled}
      startIcon={props.busy ? <CircularProgress size={16} /> : undefined}
    >
      {props.label}
    </Button>
  );
}

/** A dialog that asks for a few values (or only a confirmation) and shows the server's refusal. */
export function FormDialog(props: FormDialogProps) {
  const { open, fields = [], onSubmit, onClose } = props;
  const [values, setValues] = useState<Record<string, string>>(() =>
    initialValues(fields),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  // A fresh form every time it opens (state adjusted while rendering, as React recommends).
  const [wasOpen, setWasOpen] = useState(open);
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setValues(initialValues(fields));
      setError(undefined);
      setBusy(false);
    }
  }

  const missing = fields.some(f => f.required && !values[f.name]?.trim());

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(
        Object.fromEntries(
          fields.map(f => [f.name, (values[f.name] ?? '').trim()]),
        ),
      );
      setBusy(false);
      onClose();
    } catch (e) {
      setBusy(false);
      setError(errorMessage(e));
    }
  };

  return (
    <DialogForm
      id="nhi-form-dialog"
      open={open}
      title={props.title}
      description={props.description}
      busy={busy}
      canSubmit={!missing}
      onSubmit={submit}
      onClose={onClose}
      error={error}
      actions={
        <>
          <Button onClick={onClose} disabled={busy}>
            Back
          </Button>
          <SubmitButton
            label={props.submitLabel}
            destructive={props.destructive}
            disabled={missing || busy}
            busy={busy}
          />
        </>
      }
    >
      <FormDialogFields
        fields={fields}
        values={values}
        onChange={(name, value) => setValues(v => ({ ...v, [name]: value }))}
        disabled={busy}
      />
    </DialogForm>
  );
}
