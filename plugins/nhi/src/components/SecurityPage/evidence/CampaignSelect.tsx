import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import { nhiApiRef } from '../../../api';
import { sortCampaigns } from '../campaigns/campaigns';
import { errorMessage } from '../errors';

/** The open and closed campaigns by period name, e.g. `2026-Q4 (closed)`; picks one at once. */
export function CampaignSelect(props: {
  value: string;
  onChange: (id: string) => void;
  disabled: boolean;
}) {
  const nhiApi = useApi(nhiApiRef);
  const { onChange } = props;
  const campaigns = useAsync(async () => {
    const { items } = await nhiApi.listCampaigns(['open', 'closed']);
    const sorted = sortCampaigns(items);
    // Kept when the user comes back to this scope; else the open or newest campaign.
    if (sorted.length && !sorted.some(c => c.id === props.value)) {
      onChange(sorted[0].id);
    }
    return sorted;
  }, [nhiApi]);

  let empty: string | undefined;
  if (campaigns.loading) empty = 'Loading campaigns…';
  else if (!campaigns.value?.length) empty = 'No campaigns';

  return (
    <TextField
      id="nhi-evidence-campaign"
      select
      SelectProps={{ native: true }}
      label="Campaign"
      value={props.value}
      onChange={e => onChange(e.target.value)}
      error={!!campaigns.error}
      helperText={
        campaigns.error &&
        `Could not load the campaigns: ${errorMessage(campaigns.error)}`
      }
      disabled={props.disabled || !!empty}
      fullWidth
      margin="dense"
      variant="outlined"
      InputLabelProps={{ shrink: true }}
    >
      {empty ? (
        <option value="">{empty}</option>
      ) : (
        campaigns.value!.map(c => (
          <option key={c.id} value={c.id}>
            {c.period} ({c.status})
          </option>
        ))
      )}
    </TextField>
  );
}
