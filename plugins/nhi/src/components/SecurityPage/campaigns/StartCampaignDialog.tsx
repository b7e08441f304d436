import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Campaign } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { FormDialog, type FormDialogField } from '../FormDialog';
import { startCampaignInput, suggestedPeriod } from './campaigns';

const fields = (): FormDialogField[] => [
  {
    name: 'period',
    label: 'Period',
    required: true,
    defaultValue: suggestedPeriod(),
    helperText: 'A name for the period it covers, such as 2026-Q4',
  },
  {
    name: 'owner',
    label: 'Owner groups (optional)',
    helperText:
      'Comma-separated, e.g. payments, group:ops/platform; empty for every owner',
  },
  {
    name: 'dueAt',
    label: 'Due date (optional)',
    type: 'date',
    helperText: 'Empty for the policy default',
  },
];

/** Asks for a period, an owner scope and a due date, and starts the campaign. */
export function StartCampaignDialog(props: {
  open: boolean;
  onClose: () => void;
  onStarted: (campaign: Campaign) => void;
}) {
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
  return (
    <FormDialog
      open={props.open}
      title="Start a recertification campaign"
      description="Every identity in scope gets a review item for its owner group. An empty owner scope covers every identity."
      submitLabel="Start"
      fields={fields()}
      onClose={props.onClose}
      onSubmit={async values => {
        const started = await nhiApi.startCampaign(startCampaignInput(values));
        alertApi.post({
          message: `Campaign ${started.period} started`,
          severity: 'success',
          display: 'transient',
        });
        props.onStarted(started);
      }}
    />
  );
}
