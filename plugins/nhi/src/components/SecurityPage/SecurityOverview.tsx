import { type ReactNode, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import type {
  Campaign,
  RollupDimension,
  RollupFigures,
  RollupsResponse,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../api';
import {
  ComplianceTrendChart,
  FindingsByOwnerChart,
  IdentitiesByFindingChart,
} from './charts';
import type { IdentityFilter } from './identityFilter';
import { RollupTable } from './RollupTable';
import { SecurityKpis } from './SecurityKpis';

function useRollups(by: RollupDimension) {
  const nhiApi = useApi(nhiApiRef);
  return useAsync(() => nhiApi.getRollups(by), [nhiApi, by]);
}

function Loaded<T>(props: {
  state: { loading: boolean; error?: Error; value?: T };
  children: (value: T) => ReactNode;
}) {
  const { loading, error, value } = props.state;
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return <>{value !== undefined ? props.children(value) : null}</>;
}

const TABLE_DIMENSIONS: Array<{ dimension: RollupDimension; label: string }> = [
  { dimension: 'owner', label: 'Owner group' },
  { dimension: 'system', label: 'System' },
  { dimension: 'type', label: 'Type' },
  { dimension: 'environment', label: 'Environment' },
  { dimension: 'finding', label: 'Finding' },
];

function BreakdownTables() {
  const [dimension, setDimension] = useState<RollupDimension>('owner');
  const rollups = useRollups(dimension);
  return (
    <InfoCard title="Breakdowns" noPadding>
      <Tabs
        value={dimension}
        onChange={(_, d) => setDimension(d)}
        indicatorColor="primary"
        textColor="primary"
        variant="scrollable"
        aria-label="Break down by"
      >
        {TABLE_DIMENSIONS.map(d => (
          <Tab key={d.dimension} value={d.dimension} label={d.label} />
        ))}
      </Tabs>
      <Loaded<RollupsResponse> state={rollups}>
        {value => (
          <RollupTable
            dimension={dimension}
            rows={value.rows}
            title={`Identities by ${TABLE_DIMENSIONS.find(
              d => d.dimension === dimension,
            )!.label.toLowerCase()}`}
          />
        )}
      </Loaded>
    </InfoCard>
  );
}

export interface SecurityOverviewProps {
  /** The whole population's figures. */
  total: RollupFigures;
  /** The current open campaign, for review completion. */
  campaign?: Campaign;
  /** Opens the identity list with a filter (a clicked bar). */
  onDrillDown: (filter: IdentityFilter) => void;
}

/** KPIs, the findings charts, the compliance trend and the breakdown tables. */
export function SecurityOverview(props: SecurityOverviewProps) {
  const nhiApi = useApi(nhiApiRef);
  const byOwner = useRollups('owner');
  const byFinding = useRollups('finding');
  const trend = useAsync(
    () => nhiApi.getTrend({ by: 'all', days: 90 }),
    [nhiApi],
  );

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SecurityKpis total={props.total} campaign={props.campaign} />
      </Grid>
      <Grid item xs={12} lg={7}>
        <InfoCard
          title="Findings by owner group"
          subheader="Click a bar for the identities behind it"
        >
          <Loaded<RollupsResponse> state={byOwner}>
            {value => (
              <FindingsByOwnerChart
                rows={value.rows}
                onDrillDown={props.onDrillDown}
              />
            )}
          </Loaded>
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard
          title="Identities per finding"
          subheader="Click a bar for the identities with that finding"
        >
          <Loaded<RollupsResponse> state={byFinding}>
            {value => (
              <IdentitiesByFindingChart
                rows={value.rows}
                onDrillDown={props.onDrillDown}
              />
            )}
          </Loaded>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Compliance over 90 days"
          subheader="Identities without a medium or worse finding"
        >
          <Loaded state={trend}>
            {value => <ComplianceTrendChart points={value.points} />}
          </Loaded>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <BreakdownTables />
      </Grid>
    </Grid>
  );
}
