import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import type { EvidencePeriod } from '@nhi-governance/plugin-nhi-common';
import type { PeriodErrors } from './evidenceForm';

export type ScopeKind = 'dates' | 'campaign';

/** Dates or Campaign: what the package covers. */
export function ScopeKindChoice(props: {
  value: ScopeKind;
  onChange: (kind: ScopeKind) => void;
  disabled: boolean;
}) {
  return (
    <RadioGroup
      row
      aria-label="Scope"
      name="scope"
      value={props.value}
      onChange={e => props.onChange(e.target.value as ScopeKind)}
    >
      <FormControlLabel
        value="dates"
        control={<Radio color="primary" />}
        label="Dates"
        disabled={props.disabled}
      />
      <FormControlLabel
        value="campaign"
        control={<Radio color="primary" />}
        label="Campaign"
        disabled={props.disabled}
      />
    </RadioGroup>
  );
}

/** The From and To dates of the period, each with why it is refused. */
export function PeriodFields(props: {
  value: EvidencePeriod;
  onChange: (update: (period: EvidencePeriod) => EvidencePeriod) => void;
  errors: PeriodErrors;
  disabled: boolean;
}) {
  const { value, errors } = props;
  const dateField = (field: keyof EvidencePeriod, label: string) => (
    <TextField
      id={`nhi-evidence-${field}`}
      label={label}
      type="date"
      required
      value={value[field]}
      onChange={e => {
        const day = e.target.value;
        props.onChange(p => ({ ...p, [field]: day }));
      }}
      error={!!errors[field]}
      helperText={errors[field]}
      disabled={props.disabled}
      margin="dense"
      variant="outlined"
      InputLabelProps={{ shrink: true }}
    />
  );
  return (
    <Box display="flex" style={{ gap: 16 }}>
      {dateField('from', 'From')}
      {dateField('to', 'To')}
    </Box>
  );
}
