import Typography from '@material-ui/core/Typography';
import type { RollupRow } from '@nhi-governance/plugin-nhi-common';
import { Bar, Legend } from 'recharts';
import {
  type IdentityFilter,
  METRIC_LABELS,
  cellFilter,
  dimensionFilter,
  shortRef,
} from '../identityFilter';
import {
  HorizontalBarChart,
  NoData,
  OWNER_FINDING_METRICS,
  datumOf,
  useChartColors,
} from './chartParts';

const totalFindings = (row: RollupRow) =>
  OWNER_FINDING_METRICS.reduce((sum, m) => sum + row[m], 0);

export interface FindingsByOwnerChartProps {
  /** `GET /rollups?by=owner` rows. */
  rows: RollupRow[];
  /** Called with the filter of the clicked bar: that group and that finding. */
  onDrillDown: (filter: IdentityFilter) => void;
  /** How many groups to show, the worst first; 15 unless given. */
  limit?: number;
}

/** Stacked bars of overdue, expired, orphaned, dormant and unapproved identities per owner group. */
export function FindingsByOwnerChart(props: FindingsByOwnerChartProps) {
  const colors = useChartColors();
  const limit = props.limit ?? 15;
  const data = props.rows
    .filter(r => totalFindings(r) > 0)
    .sort(
      (a, b) =>
        totalFindings(b) - totalFindings(a) || a.key.localeCompare(b.key),
    )
    .slice(0, limit)
    .map(r => ({ ...r, label: r.key ? shortRef(r.key) : '(no owner)' }));
  if (data.length === 0) {
    return <NoData>No group has an identity with these findings.</NoData>;
  }
  const groupsWithFindings = props.rows.filter(
    r => totalFindings(r) > 0,
  ).length;
  return (
    <>
      <HorizontalBarChart
        testId="findings-by-owner-chart"
        label="Findings by owner group"
        desc="Identities with an overdue rotation, expired, orphaned, dormant or unapproved, per owner group"
        height={data.length * 32 + 80}
        labelWidth={150}
        data={data}
        colors={colors}
      >
        <Legend wrapperStyle={{ color: colors.axis }} />
        {OWNER_FINDING_METRICS.map(metric => (
          <Bar
            key={metric}
            dataKey={metric}
            name={METRIC_LABELS[metric]}
            stackId="findings"
            fill={colors.metric[metric]}
            cursor="pointer"
            isAnimationActive={false}
            onClick={(entry: unknown) => {
              const row = datumOf<RollupRow>(entry);
              const filter =
                cellFilter('owner', row.key, metric) ??
                dimensionFilter('owner', row.key);
              if (filter) props.onDrillDown(filter);
            }}
          />
        ))}
      </HorizontalBarChart>
      {groupsWithFindings > data.length && (
        <Typography variant="caption" color="textSecondary">
          The {data.length} groups with the most findings of{' '}
          {groupsWithFindings}; the table below lists them all.
        </Typography>
      )}
    </>
  );
}
