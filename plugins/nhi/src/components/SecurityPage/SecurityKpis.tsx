import { Link as RouterLink } from 'react-router-dom';
import Card from '@material-ui/core/Card';
import CardActionArea from '@material-ui/core/CardActionArea';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  Campaign,
  RollupFigures,
} from '@nhi-governance/plugin-nhi-common';
import { type IdentityFilter, drillDownLink } from './identityFilter';

const useStyles = makeStyles(theme => ({
  card: { height: '100%' },
  area: { height: '100%' },
  value: { fontWeight: theme.typography.fontWeightBold as number },
  alert: { color: theme.palette.error.main },
}));

export interface Kpi {
  id: string;
  label: string;
  value: string;
  /** What the figure means, under it. */
  hint: string;
  /** Where clicking goes: a relative link such as `?tab=identities&rotation=overdue`. */
  to: string;
  /** Shown in the error colour when above zero. */
  alert?: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');
const pct = (n: number) =>
  `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;

/** Completion of a campaign: the decided share of its items, 100 % when it has none. */
export function campaignCompletion(campaign: Campaign): number {
  const { total, decided } = campaign.progress;
  return total ? Math.round((decided / total) * 1000) / 10 : 100;
}

export function campaignLink(campaign: Campaign): string {
  return `?${new URLSearchParams({
    tab: 'campaigns',
    campaign: campaign.id,
  }).toString()}`;
}

/** The completion of the current campaign, or a dash when none is open. */
function campaignKpi(campaign: Campaign | undefined): Kpi {
  return campaign
    ? {
        id: 'review-completion',
        label: 'Review completion',
        value: pct(campaignCompletion(campaign)),
        hint: `${campaign.period}: ${count(
          campaign.progress.decided,
        )} of ${count(
          campaign.progress.total,
        )} decided, due ${campaign.dueAt.slice(0, 10)}`,
        to: campaignLink(campaign),
        alert: campaign.progress.overdue > 0,
      }
    : {
        id: 'review-completion',
        label: 'Review completion',
        value: '—',
        hint: 'no open campaign',
        to: '?tab=campaigns',
      };
}

/** The headline figures, each a link to the identities (or campaign) behind it. */
export function securityKpis(
  total: RollupFigures,
  campaign: Campaign | undefined,
): Kpi[] {
  const link = (filter: IdentityFilter) => drillDownLink(filter);
  return [
    {
      id: 'identities',
      label: 'Identities',
      value: count(total.identities),
      hint: `${count(total.highRisk)} high risk`,
      to: link({}),
    },
    {
      id: 'compliant',
      label: 'Compliant',
      value: pct(total.compliantPct),
      hint: `${count(total.compliant)} without a medium or worse finding`,
      to: link({ compliant: true }),
    },
    {
      id: 'rotation-overdue',
      label: 'Overdue rotations',
      value: count(total.rotationOverdue),
      hint: 'older than the rotation policy',
      to: link({ rotation: ['overdue'] }),
      alert: total.rotationOverdue > 0,
    },
    {
      id: 'expired',
      label: 'Expired',
      value: count(total.expired),
      hint: 'expired but still present',
      to: link({ rotation: ['expired'] }),
      alert: total.expired > 0,
    },
    {
      id: 'orphaned',
      label: 'Orphaned',
      value: count(total.orphaned),
      hint: 'owner missing or not in the catalog',
      to: link({ finding: ['owner-missing', 'owner-orphaned'] }),
      alert: total.orphaned > 0,
    },
    {
      id: 'dormant',
      label: 'Dormant',
      value: count(total.dormant),
      hint: 'dormant or never used',
      to: link({ usage: ['dormant', 'never-used'] }),
      alert: total.dormant > 0,
    },
    {
      id: 'unapproved',
      label: 'Unapproved',
      value: count(total.unapproved),
      hint: 'waiting for security approval',
      to: link({ finding: ['unapproved'] }),
      alert: total.unapproved > 0,
    },
    campaignKpi(campaign),
  ];
}

export interface SecurityKpisProps {
  /** The whole population's figures (`GET /rollups`, `total`). */
  total: RollupFigures;
  /** The current open campaign, for review completion; none shows a dash. */
  campaign?: Campaign;
}

/** A row of headline figures; each opens the identity list filtered to what it counts. */
export function SecurityKpis(props: SecurityKpisProps) {
  const classes = useStyles();
  const kpis = securityKpis(props.total, props.campaign);
  return (
    <Grid container spacing={2}>
      {kpis.map(kpi => (
        <Grid item xs={6} sm={4} md={3} lg={3} key={kpi.id}>
          <Card className={classes.card} variant="outlined">
            <CardActionArea
              className={classes.area}
              component={RouterLink}
              to={kpi.to}
              data-testid={`kpi-${kpi.id}`}
              aria-label={`${kpi.label}: ${kpi.value}. ${kpi.hint}. Show them`}
            >
              <CardContent>
                <Typography variant="overline" color="textSecondary">
                  {kpi.label}
                </Typography>
                <Typography
                  variant="h4"
                  component="p"
                  className={`${classes.value} ${
                    kpi.alert ? classes.alert : ''
                  }`}
                >
                  {kpi.value}
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {kpi.hint}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}
