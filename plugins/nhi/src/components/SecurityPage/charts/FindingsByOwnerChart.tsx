import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { type Theme, useTheme } from '@material-ui/core/styles';
import {
  FINDING_DEFINITIONS,
  type FindingCode,
  type RollupRow,
  type Severity,
  type TrendPoint,
} from '@nhi-governance/plugin-nhi-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  type IdentityFilter,
  type RollupMetric,
  METRIC_LABELS,
  cellFilter,
  dimensionFilter,
  findingTitle,
  shortRef,
} from './identityFilter';

/** The finding figures stacked per owner group, in this order. */
export const OWNER_FINDING_METRICS = [
  'rotationOverdue',
  'expired',
  'orphaned',
  'dormant',
  'unapproved',
] as const satisfies readonly RollupMetric[];

type OwnerFindingMetric = (typeof OWNER_FINDING_METRICS)[number];

/** Theme colours, so the charts follow light and dark mode. */
function useChartColors() {
  const theme = useTheme<Theme>();
  const { palette } = theme;
  const metric: Record<OwnerFindingMetric, string> = {
    rotationOverdue: palette.warning.main,
    expired: palette.error.main,
    orphaned: palette.secondary.main,
    dormant: palette.info.main,
    unapproved: palette.primary.main,
  };
  const severity: Record<Severity, string> = {
    critical: palette.error.dark,
    high: palette.error.main,
    medium: palette.warning.main,
    low: palette.info.main,
  };
  return {
    metric,
    severity,
    line: palette.success.main,
    axis: palette.text.secondary,
    grid: palette.divider,
    tooltip: {
      contentStyle: {
        backgroundColor: palette.background.paper,
        borderColor: palette.divider,
        color: palette.text.primary,
      },
      itemStyle: { color: palette.text.primary },
      labelStyle: { color: palette.text.primary },
      cursor: { fill: palette.action.hover },
    },
  };
}

/** Recharts hands a bar's click either the datum or a rectangle with the datum as `payload`. */
function datumOf<T>(entry: unknown): T {
  const e = entry as { payload?: T } | undefined;
  return (e?.payload ?? entry) as T;
}

/** A chart with an accessible name and a test id; recharts draws inside. */
function ChartFigure(props: {
  testId: string;
  label: string;
  height: number;
  children: ReactNode;
}) {
  return (
    <Box
      role="figure"
      aria-label={props.label}
      data-testid={props.testId}
      width="100%"
      height={props.height}
    >
      <ResponsiveContainer width="100%" height="100%">
        {props.children as any}
      </ResponsiveContainer>
    </Box>
  );
}

function NoData(props: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {props.children}
    </Typography>
  );
}

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
      <ChartFigure
        testId="findings-by-owner-chart"
        label="Findings by owner group"
        height={data.length * 32 + 80}
      >
        <BarChart
          data={data}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
          title="Findings by owner group"
          desc="Identities with an overdue rotation, expired, orphaned, dormant or unapproved, per owner group"
          accessibilityLayer
        >
          <CartesianGrid stroke={colors.grid} horizontal={false} />
          <XAxis
            type="number"
            allowDecimals={false}
            stroke={colors.axis}
            tick={{ fill: colors.axis }}
          />
          <YAxis
            type="category"
            dataKey="label"
            width={150}
            stroke={colors.axis}
            tick={{ fill: colors.axis, fontSize: 12 }}
            interval={0}
          />
          <Tooltip {...colors.tooltip} />
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
        </BarChart>
      </ChartFigure>
      {groupsWithFindings > data.length && (
        <Typography variant="caption" color="textSecondary">
          The {data.length} groups with the most findings of{' '}
          {groupsWithFindings}; the table below lists them all.
        </Typography>
      )}
    </>
  );
}

export interface IdentitiesByFindingChartProps {
  /** `GET /rollups?by=finding` rows: the key is the finding code. */
  rows: RollupRow[];
  /** Called with `{ finding: [code] }` for the clicked bar. */
  onDrillDown: (filter: IdentityFilter) => void;
}

/** One bar per finding: how many identities have it, coloured by severity. */
export function IdentitiesByFindingChart(props: IdentitiesByFindingChartProps) {
  const colors = useChartColors();
  const data = props.rows
    .filter(r => r.key && r.identities > 0)
    .sort((a, b) => b.identities - a.identities || a.key.localeCompare(b.key))
    .map(r => ({
      ...r,
      label: findingTitle(r.key),
      severity: FINDING_DEFINITIONS[r.key as FindingCode]?.severity ?? 'low',
    }));
  if (data.length === 0) {
    return <NoData>No identity has an open finding.</NoData>;
  }
  return (
    <ChartFigure
      testId="identities-by-finding-chart"
      label="Identities per finding"
      height={data.length * 28 + 60}
    >
      <BarChart
        data={data}
        layout="vertical"
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
        title="Identities per finding"
        desc="How many identities have each finding"
        accessibilityLayer
      >
        <CartesianGrid stroke={colors.grid} horizontal={false} />
        <XAxis
          type="number"
          allowDecimals={false}
          stroke={colors.axis}
          tick={{ fill: colors.axis }}
        />
        <YAxis
          type="category"
          dataKey="label"
          width={200}
          stroke={colors.axis}
          tick={{ fill: colors.axis, fontSize: 12 }}
          interval={0}
        />
        <Tooltip {...colors.tooltip} />
        <Bar
          dataKey="identities"
          name="Identities"
          cursor="pointer"
          isAnimationActive={false}
          onClick={(entry: unknown) => {
            const row = datumOf<RollupRow>(entry);
            props.onDrillDown({ finding: [row.key] });
          }}
        >
          {data.map(d => (
            <Cell
              key={d.key}
              fill={colors.severity[d.severity as Severity]}
              data-finding={d.key}
            />
          ))}
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}

export interface ComplianceTrendChartProps {
  /** `GET /rollups/trend` points, oldest first. */
  points: TrendPoint[];
}

/** Compliance % per day. */
export function ComplianceTrendChart(props: ComplianceTrendChartProps) {
  const colors = useChartColors();
  if (props.points.length === 0) {
    return (
      <NoData>No history yet: the first point appears after a day.</NoData>
    );
  }
  return (
    <ChartFigure
      testId="compliance-trend-chart"
      label="Compliance over time"
      height={260}
    >
      <LineChart
        data={props.points}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
        title="Compliance over time"
        desc="The share of identities without a medium or worse finding, per day"
        accessibilityLayer
      >
        <CartesianGrid stroke={colors.grid} />
        <XAxis
          dataKey="day"
          stroke={colors.axis}
          tick={{ fill: colors.axis, fontSize: 12 }}
          tickFormatter={(day: string) => day.slice(5)}
          minTickGap={16}
        />
        <YAxis
          domain={[0, 100]}
          unit="%"
          stroke={colors.axis}
          tick={{ fill: colors.axis, fontSize: 12 }}
        />
        <Tooltip
          {...colors.tooltip}
          cursor={{ stroke: colors.grid }}
          formatter={(value: number) => [`${value}%`, 'Compliant']}
        />
        <Line
          type="monotone"
          dataKey="compliantPct"
          name="Compliant"
          stroke={colors.line}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFigure>
  );
}
