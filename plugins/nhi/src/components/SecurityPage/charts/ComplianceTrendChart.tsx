import type { TrendPoint } from '@nhi-governance/plugin-nhi-common';
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFigure, NoData, useChartColors } from './chartParts';

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
