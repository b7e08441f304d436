import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import type { Campaign } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { shortRef } from '../identityFilter';
import { CampaignActionDialog } from './CampaignActionDialog';
import {
  ACTION_TEXT,
  ACTIONS_BY_STATUS,
  type CampaignAction,
} from './campaignActions';
import {
  EscalatedItemsTable,
  GroupProgressTable,
} from './CampaignDetailTables';
import { day } from '../day';
import { CampaignProgressBar, CampaignStatusText } from './CampaignStatus';

function CampaignSubheader(props: { campaign: Campaign }) {
  const { campaign } = props;
  return (
    <>
      <CampaignStatusText status={campaign.status} /> · due{' '}
      {day(campaign.dueAt)} · started by {shortRef(campaign.createdBy)} (
      {campaign.origin})
    </>
  );
}

function CampaignActionButtons(props: {
  campaign: Campaign;
  onPick: (action: CampaignAction) => void;
}) {
  return (
    <Box pt={1} pr={1}>
      {ACTIONS_BY_STATUS[props.campaign.status].map(a => (
        <Button
          key={a}
          variant="outlined"
          color={a === 'cancel' ? 'secondary' : 'primary'}
          onClick={() => props.onPick(a)}
          style={{ marginLeft: 8 }}
        >
          {ACTION_TEXT[a].label}
        </Button>
      ))}
    </Box>
  );
}

/** One campaign: its progress per group, its escalations and the actions its status allows. */
export function CampaignDetailsCard(props: {
  campaignId: string;
  onChanged: () => void;
}) {
  const nhiApi = useApi(nhiApiRef);
  const [action, setAction] = useState<CampaignAction | undefined>();
  const details = useAsyncRetry(
    () => nhiApi.getCampaign(props.campaignId),
    [nhiApi, props.campaignId],
  );
  const escalated = useAsyncRetry(
    () =>
      nhiApi.listCampaignItems(props.campaignId, {
        state: ['escalated'],
        limit: 100,
      }),
    [nhiApi, props.campaignId],
  );

  if (details.loading && !details.value) return <Progress />;
  if (details.error) return <ResponseErrorPanel error={details.error} />;
  const campaign = details.value!;

  return (
    <InfoCard
      title={`Campaign ${campaign.period}`}
      subheader={<CampaignSubheader campaign={campaign} />}
      action={<CampaignActionButtons campaign={campaign} onPick={setAction} />}
    >
      <Box mb={2}>
        <CampaignProgressBar campaign={campaign} />
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <GroupProgressTable groups={campaign.byGroup} />
        </Grid>
        <Grid item xs={12}>
          <EscalatedItemsTable
            loading={escalated.loading}
            error={escalated.error}
            value={escalated.value}
          />
        </Grid>
      </Grid>
      {action && (
        <CampaignActionDialog
          campaign={campaign}
          action={action}
          onClose={() => setAction(undefined)}
          onDone={() => {
            details.retry();
            escalated.retry();
            props.onChanged();
          }}
        />
      )}
    </InfoCard>
  );
}
