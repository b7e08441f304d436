import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { type Theme, useTheme } from '@material-ui/core/styles';
import type { Severity } from '@nhi-governance/plugin-nhi-common';
import {
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { RollupMetric } from '../identityFilter';

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
export function useChartColors() {
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
export function datumOf<T>(entry: unknown): T {
  const e = entry as { payload?: T } | undefined;
  return (e?.payload ?? entry) as T;
}

/** A chart with an accessible name and a test id; recharts draws inside. */
export function ChartFigure(props: {
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

export function NoData(props: { children: ReactNode }) {
  return (
    <Typography variant="body2" color="textSecondary">
      {props.children}
    </Typography>
  );
}

type ChartColors = ReturnType<typeof useChartColors>;

/**
 * The grid, axes and tooltip of a bar chart laid on its side: counts along the bottom, one
 * labelled row per `label`. An array, since recharts reads its parts from the chart's children.
 */
function horizontalBarFrame(colors: ChartColors, labelWidth: number) {
  return [
    <CartesianGrid key="grid" stroke={colors.grid} horizontal={false} />,
    <XAxis
      key="x"
      type="number"
      allowDecimals={false}
      stroke={colors.axis}
      tick={{ fill: colors.axis }}
    />,
    <YAxis
      key="y"
      type="category"
      dataKey="label"
      width={labelWidth}
      stroke={colors.axis}
      tick={{ fill: colors.axis, fontSize: 12 }}
      interval={0}
    />,
    <Tooltip key="tooltip" {...colors.tooltip} />,
  ];
}

/** A bar chart laid on its side in its figure, its title the figure's label; `children` are its bars. */
export function HorizontalBarChart(props: {
  testId: string;
  label: string;
  desc: string;
  height: number;
  labelWidth: number;
  data: object[];
  colors: ChartColors;
  children: ReactNode;
}) {
  return (
    <ChartFigure
      testId={props.testId}
      label={props.label}
      height={props.height}
    >
      <BarChart
        data={props.data}
        layout="vertical"
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
        title={props.label}
        desc={props.desc}
        accessibilityLayer
      >
        {horizontalBarFrame(props.colors, props.labelWidth)}
        {props.children}
      </BarChart>
    </ChartFigure>
  );
}
