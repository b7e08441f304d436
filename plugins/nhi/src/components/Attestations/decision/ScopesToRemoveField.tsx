import { useMemo } from 'react';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import type { ReviewItem } from '@nhi-governance/plugin-nhi-common';

/** One checkbox per scope any of the items holds; with several items, how many hold each. */
export function ScopesToRemoveField(props: {
  items: ReviewItem[];
  value: string[];
  onChange: (update: (current: string[]) => string[]) => void;
}) {
  const { items, value, onChange } = props;
  const allScopes = useMemo(
    () => [...new Set(items.flatMap(i => i.snapshot.scopes))],
    [items],
  );
  return (
    <FormControl component="fieldset" margin="normal" fullWidth>
      <FormLabel component="legend">Scopes to remove</FormLabel>
      <FormGroup>
        {allScopes.map(scope => {
          const holders = items.filter(i =>
            i.snapshot.scopes.includes(scope),
          ).length;
          return (
            <FormControlLabel
              key={scope}
              control={
                <Checkbox
                  checked={value.includes(scope)}
                  onChange={(_e, checked) =>
                    onChange(current =>
                      checked
                        ? [...current, scope]
                        : current.filter(s => s !== scope),
                    )
                  }
                  inputProps={{ 'aria-label': scope }}
                />
              }
              label={
                items.length > 1
                  ? `${scope} (${holders} of ${items.length})`
                  : scope
              }
            />
          );
        })}
      </FormGroup>
      {allScopes.length === 0 && (
        <FormHelperText>The snapshot lists no scopes.</FormHelperText>
      )}
    </FormControl>
  );
}
