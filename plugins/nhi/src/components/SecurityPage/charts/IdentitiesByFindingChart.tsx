import {
  type RollupRow,
  type Severity,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import { Bar, Cell } from 'recharts';
import { type IdentityFilter, findingTitle } from '../identityFilter';
import {
  HorizontalBarChart,
  NoData,
  datumOf,
  useChartColors,
} from './chartParts';

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
      severity: builtInFindingDefinition(r.key)?.severity ?? 'low',
    }));
  if (data.length === 0) {
    return <NoData>No identity has an open finding.</NoData>;
  }
  return (
    <HorizontalBarChart
      testId="identities-by-finding-chart"
      label="Identities per finding"
      desc="How many identities have each finding"
      height={data.length * 28 + 60}
      labelWidth={200}
      data={data}
      colors={colors}
    >
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
    </HorizontalBarChart>
  );
}
