import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import type {
  Campaign,
  CampaignStatus,
} from '@nhi-governance/plugin-nhi-common';
import { StatusText } from '../../shared';
import { campaignCompletion } from '../SecurityKpis';

const STATUS_TONE: Record<
  CampaignStatus,
  'ok' | 'pending' | 'aborted' | 'warning'
> = {
  draft: 'pending',
  open: 'warning',
  closed: 'ok',
  cancelled: 'aborted',
};

export function CampaignStatusText(props: { status: CampaignStatus }) {
  return (
    <StatusText tone={STATUS_TONE[props.status]}>{props.status}</StatusText>
  );
}

/** The decided share of a campaign as a bar with the figures beside it. */
export function CampaignProgressBar(props: { campaign: Campaign }) {
  const { progress, period } = props.campaign;
  const pct = campaignCompletion(props.campaign);
  return (
    <Box display="flex" alignItems="center" minWidth={180}>
      <Box flexGrow={1} mr={1}>
        <LinearProgress
          variant="determinate"
          value={pct}
          aria-label={`${period} review completion`}
        />
      </Box>
      <Typography variant="body2" color="textSecondary" noWrap>
        {progress.decided.toLocaleString('en-US')}/
        {progress.total.toLocaleString('en-US')} ({pct}%)
      </Typography>
    </Box>
  );
}
