import { useMemo } from 'react';
import { Link, Table, type TableColumn } from '@backstage/core-components';
import type {
  MachineIdentityType,
  RollupDimension,
  RollupRow,
} from '@nhi-governance/plugin-nhi-common';
import { IdentityTypeIcon } from '../IdentityTypeIcon';
import {
  type RollupMetric,
  METRIC_LABELS,
  cellFilter,
  dimensionFilter,
  drillDownLink,
  findingTitle,
  shortRef,
} from './identityFilter';

const DIMENSION_TITLES: Record<RollupDimension, string> = {
  all: 'All',
  owner: 'Owner group',
  system: 'System',
  type: 'Type',
  environment: 'Environment',
  finding: 'Finding',
};

const NONE: Record<RollupDimension, string> = {
  all: 'all',
  owner: '(no owner)',
  system: '(no system)',
  type: '(no type)',
  environment: '(no environment)',
  finding: '(none)',
};

function KeyLabel(props: { dimension: RollupDimension; rowKey: string }) {
  const { dimension, rowKey } = props;
  if (!rowKey) return <>{NONE[dimension]}</>;
  if (dimension === 'type') {
    return <IdentityTypeIcon type={rowKey as MachineIdentityType} />;
  }
  if (dimension === 'finding') return <>{findingTitle(rowKey)}</>;
  if (dimension === 'owner' || dimension === 'system') {
    return <span title={rowKey}>{shortRef(rowKey)}</span>;
  }
  return <>{rowKey}</>;
}

const COUNT_METRICS: RollupMetric[] = [
  'identities',
  'rotationOverdue',
  'expired',
  'orphaned',
  'dormant',
  'unapproved',
  'highRisk',
];

function metricColumn(
  dimension: RollupDimension,
  metric: RollupMetric,
): TableColumn<RollupRow> {
  return {
    title: METRIC_LABELS[metric],
    field: metric,
    type: 'numeric',
    render: row => {
      const value = row[metric];
      const filter =
        value > 0 ? cellFilter(dimension, row.key, metric) : undefined;
      const text = value.toLocaleString('en-US');
      return filter ? (
        <Link
          to={drillDownLink(filter)}
          aria-label={`${METRIC_LABELS[metric]} of ${
            row.key || NONE[dimension]
          }: ${text}`}
        >
          {text}
        </Link>
      ) : (
        text
      );
    },
  };
}

function columnsFor(dimension: RollupDimension): TableColumn<RollupRow>[] {
  const [identities, ...findings] = COUNT_METRICS;
  return [
    {
      title: DIMENSION_TITLES[dimension],
      field: 'key',
      highlight: true,
      customFilterAndSearch: (term: string, row: RollupRow) =>
        `${row.key} ${dimension === 'finding' ? findingTitle(row.key) : ''}`
          .toLocaleLowerCase('en-US')
          .includes(term.toLocaleLowerCase('en-US')),
      render: row => {
        const filter = dimensionFilter(dimension, row.key);
        const label = <KeyLabel dimension={dimension} rowKey={row.key} />;
        return filter ? <Link to={drillDownLink(filter)}>{label}</Link> : label;
      },
    },
    metricColumn(dimension, identities),
    {
      title: 'Compliant',
      field: 'compliantPct',
      type: 'numeric',
      render: row => {
        const filter = cellFilter(dimension, row.key, 'compliant');
        const text = `${row.compliantPct}%`;
        return filter && row.compliant > 0 ? (
          <Link to={drillDownLink(filter)}>{text}</Link>
        ) : (
          text
        );
      },
    },
    ...findings.map(m => metricColumn(dimension, m)),
  ];
}

export interface RollupTableProps {
  /** What the rows are grouped by. */
  dimension: RollupDimension;
  /** `GET /rollups?by=<dimension>` rows. */
  rows: RollupRow[];
  title?: string;
}

/** The rollup rows of one dimension; every name and figure links to the identities behind it. */
export function RollupTable(props: RollupTableProps) {
  const { dimension, rows } = props;
  const columns = useMemo(() => columnsFor(dimension), [dimension]);
  return (
    <Table<RollupRow>
      title={props.title ?? `By ${DIMENSION_TITLES[dimension].toLowerCase()}`}
      columns={columns}
      data={rows}
      options={{
        paging: rows.length > 10,
        pageSize: 10,
        pageSizeOptions: [10, 25, 50, 100],
        search: rows.length > 10,
        padding: 'dense',
        emptyRowsWhenPaging: false,
      }}
      localization={{ body: { emptyDataSourceMessage: 'No identities yet' } }}
    />
  );
}
