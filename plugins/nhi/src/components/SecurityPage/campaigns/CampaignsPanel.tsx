import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import type { Campaign } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { CampaignDetailsCard } from './CampaignDetailsCard';
import { CampaignListTable } from './CampaignListTable';
import { currentCampaign, sortCampaigns } from './campaigns';
import { StartCampaignDialog } from './StartCampaignDialog';

export interface CampaignsPanelProps {
  /** The campaign shown in detail; the current open one (or the newest) unless given. */
  selectedId?: string;
  /** Called when the user picks a campaign (or starts one). */
  onSelect?: (id: string) => void;
  /** Called after a campaign was started, opened, closed or cancelled. */
  onChanged?: () => void;
}

/** The campaign shown: the one the page names, else the one picked here, else the current one. */
function useSelectedCampaign(props: CampaignsPanelProps, items: Campaign[]) {
  const [localSelection, setLocalSelection] = useState<string | undefined>();
  const select = (id: string) => {
    setLocalSelection(id);
    props.onSelect?.(id);
  };
  const selectedId =
    props.selectedId ??
    localSelection ??
    currentCampaign(items)?.id ??
    items[0]?.id;
  return { selectedId, select };
}

function NoCampaigns(props: { action: JSX.Element }) {
  return (
    <EmptyState
      missing="data"
      title="No campaigns yet"
      description="A recertification campaign asks every owner group to confirm, reduce or revoke its identities. Start one by hand, or let the review cadence start it."
      action={props.action}
    />
  );
}

/** Recertification campaigns: the list, one campaign's progress per group and its escalations. */
export function CampaignsPanel(props: CampaignsPanelProps) {
  const nhiApi = useApi(nhiApiRef);
  const [starting, setStarting] = useState(false);
  const campaigns = useAsyncRetry(() => nhiApi.listCampaigns(), [nhiApi]);
  const items = sortCampaigns(campaigns.value?.items ?? []);
  const { selectedId, select } = useSelectedCampaign(props, items);

  const startDialog = (
    <StartCampaignDialog
      open={starting}
      onClose={() => setStarting(false)}
      onStarted={started => {
        campaigns.retry();
        select(started.id);
        props.onChanged?.();
      }}
    />
  );

  const startButton = (
    <Button
      variant="contained"
      color="primary"
      onClick={() => setStarting(true)}
    >
      Start campaign
    </Button>
  );

  if (campaigns.loading && !campaigns.value) return <Progress />;
  if (campaigns.error) return <ResponseErrorPanel error={campaigns.error} />;

  if (items.length === 0) {
    return (
      <>
        <NoCampaigns action={startButton} />
        {startDialog}
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" justifyContent="flex-end">
          {startButton}
        </Box>
      </Grid>
      <Grid item xs={12}>
        <CampaignListTable
          items={items}
          selectedId={selectedId}
          onSelect={select}
        />
      </Grid>
      {selectedId && (
        <Grid item xs={12}>
          <CampaignDetailsCard
            key={selectedId}
            campaignId={selectedId}
            onChanged={() => {
              campaigns.retry();
              props.onChanged?.();
            }}
          />
        </Grid>
      )}
      {startDialog}
    </Grid>
  );
}
