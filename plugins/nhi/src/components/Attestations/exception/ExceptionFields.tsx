import TextField from '@material-ui/core/TextField';
import {
  type ExceptableFinding,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import { expiryBounds } from './exceptionRules';

/** The finding the exception covers: those open on the identity, or every exceptable one. */
export function ExceptionFindingSelect(props: {
  value: ExceptableFinding;
  onChange: (finding: ExceptableFinding) => void;
  choices: readonly ExceptableFinding[];
  /** Whether the choices are findings open now, rather than every one there is. */
  openNow: boolean;
}) {
  return (
    <TextField
      select
      id="nhi-exception-finding"
      label="Finding"
      value={props.value}
      onChange={e => props.onChange(e.target.value as ExceptableFinding)}
      SelectProps={{ native: true }}
      fullWidth
      margin="normal"
      helperText={
        props.openNow
          ? 'The findings open on this identity that an exception may cover.'
          : 'No such finding is open now; you may still ask ahead.'
      }
      inputProps={{ 'data-testid': 'exception-finding' }}
    >
      {props.choices.map(code => (
        <option key={code} value={code}>
          {builtInFindingDefinition(code)?.title ?? code} ({code})
        </option>
      ))}
    </TextField>
  );
}

/** The day the exception ends, bounded to the next year, with why a date is refused. */
export function ExpiryDateField(props: {
  value: string;
  onChange: (day: string) => void;
  problem?: string;
}) {
  const bounds = expiryBounds();
  return (
    <TextField
      id="nhi-exception-expires"
      label="Expires on"
      type="date"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      required
      fullWidth
      margin="normal"
      InputLabelProps={{ shrink: true }}
      error={!!props.problem}
      helperText={
        props.problem ?? `UTC; at most one year ahead (${bounds.max}).`
      }
      inputProps={{
        min: bounds.min,
        max: bounds.max,
        'data-testid': 'exception-expires',
      }}
    />
  );
}
