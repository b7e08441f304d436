import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Campaign } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { FormDialog } from '../FormDialog';
import { ACTION_TEXT, type CampaignAction } from './campaignActions';

/** Confirms opening, closing or cancelling a campaign, then reports it done. */
export function CampaignActionDialog(props: {
  campaign: Campaign;
  action: CampaignAction;
  onClose: () => void;
  onDone: () => void;
}) {
  const { campaign, action } = props;
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
  const text = ACTION_TEXT[action];
  return (
    <FormDialog
      open
      title={text.title}
      description={text.describe(campaign)}
      submitLabel={text.label}
      destructive={action === 'cancel'}
      onClose={props.onClose}
      onSubmit={async () => {
        await nhiApi.changeCampaign(campaign.id, action);
        alertApi.post({
          message: `Campaign ${campaign.period}: ${text.done}`,
          severity: 'success',
          display: 'transient',
        });
        props.onDone();
      }}
    />
  );
}
