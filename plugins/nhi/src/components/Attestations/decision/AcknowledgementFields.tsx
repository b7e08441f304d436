import FormControl from '@material-ui/core/FormControl';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
import type { FindingCode } from '@nhi-governance/plugin-nhi-common';
import type { SeriousCode } from './decisionRules';

/** One required text per open high or critical finding: why certify while it is open. */
export function AcknowledgementFields(props: {
  serious: SeriousCode[];
  itemCount: number;
  value: Partial<Record<FindingCode, string>>;
  onChange: (code: FindingCode, text: string) => void;
}) {
  const { serious, itemCount, value, onChange } = props;
  return (
    <FormControl component="fieldset" margin="normal" fullWidth>
      <FormLabel component="legend">
        Acknowledge each open high or critical finding
      </FormLabel>
      {serious.map(f => (
        <TextField
          key={f.code}
          id={`nhi-decision-ack-${f.code}`}
          label={`Acknowledge: ${f.title} (${f.severity})`}
          helperText={
            itemCount > 1
              ? `Open on ${f.count} of ${itemCount} identities; recorded on each.`
              : 'Why certify the identity while this finding is open?'
          }
          value={value[f.code] ?? ''}
          onChange={e => onChange(f.code, e.target.value)}
          required
          fullWidth
          multiline
          margin="dense"
          inputProps={{ 'data-testid': `ack-${f.code}` }}
        />
      ))}
    </FormControl>
  );
}
