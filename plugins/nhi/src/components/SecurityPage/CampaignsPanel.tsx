import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { type Theme, useTheme } from '@material-ui/core/styles';
import type {
  Campaign,
  CampaignDetails,
  CampaignStatus,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import { StatusText } from '../shared';
import { FormDialog } from './FormDialog';
import { shortRef } from './identityFilter';
import { campaignCompletion } from './SecurityKpis';

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

const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');

/** Sorted for the list: open first, then the newest. */
export function sortCampaigns(items: Campaign[]): Campaign[] {
  const rank = (c: Campaign) => (c.status === 'open' ? 0 : 1);
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt),
  );
}

/** The campaign whose completion the KPIs show: the open one due first. */
export function currentCampaign(items: Campaign[]): Campaign | undefined {
  return items
    .filter(c => c.status === 'open')
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

/** A suggestion for the next campaign's period: the current quarter, e.g. `2026-Q3`. */
export function suggestedPeriod(now: Date = new Date()): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** `payments, group:ops/platform` → full group refs. */
export function parseOwnerScope(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(v => v.trim())
    .filter(Boolean)
    .map(v =>
      stringifyEntityRef(
        parseEntityRef(v, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ),
    );
}

/** The form of the start dialog as the `startCampaign` input. */
export function startCampaignInput(values: Record<string, string>): {
  period: string;
  scope?: { owner: string[] };
  dueAt?: string;
} {
  const owner = parseOwnerScope(values.owner ?? '');
  return {
    period: values.period,
    ...(owner.length ? { scope: { owner } } : {}),
    // The end of the chosen day, UTC.
    ...(values.dueAt ? { dueAt: `${values.dueAt}T23:59:59Z` } : {}),
  };
}

const escalatedColumns: TableColumn<ReviewItem>[] = [
  {
    title: 'Identity',
    field: 'identity',
    highlight: true,
    render: i => (
      <>
        <EntityRefLink entityRef={i.identity} hideIcon />
        {i.snapshot.purpose && (
          <Typography variant="body2" color="textSecondary">
            {i.snapshot.purpose}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Assigned to',
    field: 'assignee',
    render: i => <EntityRefLink entityRef={i.assignee} defaultKind="group" />,
  },
  {
    title: 'Why',
    field: 'escalationReason',
    render: i =>
      i.escalationReason === 'non-response'
        ? 'no response by the due date'
        : 'escalated by the reviewer',
  },
  {
    title: 'Escalated',
    field: 'escalatedAt',
    render: i => day(i.escalatedAt),
  },
  { title: 'Due', field: 'dueAt', render: i => day(i.dueAt) },
];

type GroupRow = CampaignDetails['byGroup'][number];

const groupColumns: TableColumn<GroupRow>[] = [
  {
    title: 'Group',
    field: 'group',
    highlight: true,
    render: g => <EntityRefLink entityRef={g.group} defaultKind="group" />,
  },
  { title: 'Items', field: 'total', type: 'numeric' },
  { title: 'Decided', field: 'decided', type: 'numeric' },
  { title: 'Pending', field: 'pending', type: 'numeric' },
  {
    title: 'Escalated',
    field: 'escalated',
    type: 'numeric',
    render: g =>
      g.escalated ? <StatusText tone="warning">{g.escalated}</StatusText> : 0,
  },
  {
    title: 'Overdue',
    field: 'overdue',
    type: 'numeric',
    render: g =>
      g.overdue ? <StatusText tone="error">{g.overdue}</StatusText> : 0,
  },
  {
    title: 'Progress',
    field: 'decided',
    sorting: false,
    render: g => {
      const pct = g.total ? Math.round((g.decided / g.total) * 100) : 100;
      return (
        <LinearProgress
          variant="determinate"
          value={pct}
          aria-label={`${shortRef(g.group)}: ${pct}% decided`}
        />
      );
    },
  },
];

type CampaignAction = 'open' | 'close' | 'cancel';

const ACTION_TEXT: Record<
  CampaignAction,
  { label: string; title: string; describe: (c: Campaign) => string }
> = {
  open: {
    label: 'Open',
    title: 'Open the campaign?',
    describe: c =>
      `Every reviewer of ${
        c.period
      } is asked to decide on their identities by ${day(c.dueAt)}.`,
  },
  close: {
    label: 'Close',
    title: 'Close the campaign?',
    describe: c =>
      `${
        c.period
      } ends now: undecided items (${c.progress.pending.toLocaleString(
        'en-US',
      )} pending) stay undecided, recorded as such.`,
  },
  cancel: {
    label: 'Cancel campaign',
    title: 'Cancel the campaign?',
    describe: c =>
      `${c.period} is called off: no further decisions can be made in it. Decisions already made are kept in the ledger.`,
  },
};

const ACTIONS_BY_STATUS: Record<CampaignStatus, CampaignAction[]> = {
  draft: ['open', 'cancel'],
  open: ['close', 'cancel'],
  closed: [],
  cancelled: [],
};

function CampaignDetailsCard(props: {
  campaignId: string;
  onChanged: () => void;
}) {
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
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
  const actions = ACTIONS_BY_STATUS[campaign.status];

  return (
    <InfoCard
      title={`Campaign ${campaign.period}`}
      subheader={
        <>
          <CampaignStatusText status={campaign.status} /> · due{' '}
          {day(campaign.dueAt)} · started by {shortRef(campaign.createdBy)} (
          {campaign.origin})
        </>
      }
      action={
        <Box pt={1} pr={1}>
          {actions.map(a => (
            <Button
              key={a}
              variant="outlined"
              color={a === 'cancel' ? 'secondary' : 'primary'}
              onClick={() => setAction(a)}
              style={{ marginLeft: 8 }}
            >
              {ACTION_TEXT[a].label}
            </Button>
          ))}
        </Box>
      }
    >
      <Box mb={2}>
        <CampaignProgressBar campaign={campaign} />
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12}>
          <Table<GroupRow>
            title="Progress per group"
            columns={groupColumns}
            data={campaign.byGroup}
            options={{
              paging: campaign.byGroup.length > 10,
              pageSize: 10,
              search: campaign.byGroup.length > 10,
              padding: 'dense',
              emptyRowsWhenPaging: false,
            }}
            localization={{
              body: { emptyDataSourceMessage: 'No items in this campaign' },
            }}
          />
        </Grid>
        <Grid item xs={12}>
          {escalated.error ? (
            <ResponseErrorPanel error={escalated.error} />
          ) : (
            <Table<ReviewItem>
              title={`Escalated to security (${
                escalated.value?.totalItems ?? '…'
              })`}
              isLoading={escalated.loading}
              columns={escalatedColumns}
              data={escalated.value?.items ?? []}
              options={{
                paging: (escalated.value?.items.length ?? 0) > 10,
                pageSize: 10,
                search: false,
                padding: 'dense',
                emptyRowsWhenPaging: false,
              }}
              localization={{
                body: { emptyDataSourceMessage: 'Nothing escalated' },
              }}
            />
          )}
        </Grid>
      </Grid>
      {action && (
        <FormDialog
          open
          title={ACTION_TEXT[action].title}
          description={ACTION_TEXT[action].describe(campaign)}
          submitLabel={ACTION_TEXT[action].label}
          destructive={action === 'cancel'}
          onClose={() => setAction(undefined)}
          onSubmit={async () => {
            await nhiApi.changeCampaign(campaign.id, action);
            alertApi.post({
              message: `Campaign ${campaign.period}: ${
                { open: 'opened', close: 'closed', cancel: 'cancelled' }[action]
              }`,
              severity: 'success',
              display: 'transient',
            });
            details.retry();
            escalated.retry();
            props.onChanged();
          }}
        />
      )}
    </InfoCard>
  );
}

export interface CampaignsPanelProps {
  /** The campaign shown in detail; the current open one (or the newest) unless given. */
  selectedId?: string;
  /** Called when the user picks a campaign (or starts one). */
  onSelect?: (id: string) => void;
  /** Called after a campaign was started, opened, closed or cancelled. */
  onChanged?: () => void;
}

/** Recertification campaigns: the list, one campaign's progress per group and its escalations. */
export function CampaignsPanel(props: CampaignsPanelProps) {
  const nhiApi = useApi(nhiApiRef);
  const alertApi = useApi(alertApiRef);
  const theme = useTheme<Theme>();
  const [starting, setStarting] = useState(false);
  const [localSelection, setLocalSelection] = useState<string | undefined>();
  const campaigns = useAsyncRetry(() => nhiApi.listCampaigns(), [nhiApi]);

  const select = (id: string) => {
    setLocalSelection(id);
    props.onSelect?.(id);
  };

  const items = sortCampaigns(campaigns.value?.items ?? []);
  const selectedId =
    props.selectedId ??
    localSelection ??
    currentCampaign(items)?.id ??
    items[0]?.id;

  const columns: TableColumn<Campaign>[] = [
    {
      title: 'Period',
      field: 'period',
      highlight: true,
      render: c => (
        <Button
          size="small"
          color="primary"
          onClick={() => select(c.id)}
          aria-pressed={c.id === selectedId}
          aria-label={`Show campaign ${c.period}`}
        >
          {c.period}
        </Button>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: c => <CampaignStatusText status={c.status} />,
    },
    { title: 'Due', field: 'dueAt', render: c => day(c.dueAt) },
    {
      title: 'Progress',
      field: 'progress.decided',
      sorting: false,
      render: c => <CampaignProgressBar campaign={c} />,
    },
    {
      title: 'Escalated',
      field: 'progress.escalated',
      type: 'numeric',
    },
    {
      title: 'Started',
      field: 'createdAt',
      render: c => `${day(c.createdAt)} (${c.origin})`,
    },
  ];

  const startDialog = (
    <FormDialog
      open={starting}
      title="Start a recertification campaign"
      description="Every identity in scope gets a review item for its owner group. An empty owner scope covers every identity."
      submitLabel="Start"
      fields={[
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
      ]}
      onClose={() => setStarting(false)}
      onSubmit={async values => {
        const started = await nhiApi.startCampaign(startCampaignInput(values));
        alertApi.post({
          message: `Campaign ${started.period} started`,
          severity: 'success',
          display: 'transient',
        });
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
        <EmptyState
          missing="data"
          title="No campaigns yet"
          description="A recertification campaign asks every owner group to confirm, reduce or revoke its identities. Start one by hand, or let the review cadence start it."
          action={startButton}
        />
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
        <Table<Campaign>
          title="Campaigns"
          columns={columns}
          data={items}
          onRowClick={(_, c) => c && select(c.id)}
          options={{
            paging: items.length > 10,
            pageSize: 10,
            search: false,
            padding: 'dense',
            emptyRowsWhenPaging: false,
            rowStyle: (c: Campaign) =>
              c.id === selectedId
                ? { backgroundColor: theme.palette.action.selected }
                : {},
          }}
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
