import type { TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  IdentitySortField,
  IdentityView,
  MachineIdentityType,
} from '@nhi-governance/plugin-nhi-common';
import { IdentityName } from '../../discovery';
import { IdentityTypeIcon } from '../../IdentityTypeIcon';
import {
  FindingChips,
  OwnerLink,
  ReviewStatusText,
  RotationStatus,
  StatusText,
  UsageStatusText,
} from '../../shared';

const dash = '—';

/** The column fields the server can sort by, and its sort key for each. */
export const SORT_FIELDS: Record<string, IdentitySortField> = {
  type: 'type',
  ref: 'name',
  owner: 'owner',
  'status.rotation.status': 'rotation',
  'status.risk': 'risk',
};

function RiskText(props: { risk: number }) {
  const { risk } = props;
  let tone: 'ok' | 'warning' | 'error' = 'ok';
  if (risk >= 75) tone = 'error';
  else if (risk >= 50) tone = 'warning';
  return <StatusText tone={tone}>{risk}</StatusText>;
}

export const identityListColumns: TableColumn<IdentityView>[] = [
  {
    title: 'Type',
    field: 'type',
    render: i => <IdentityTypeIcon type={i.type as MachineIdentityType} />,
  },
  {
    title: 'Identity',
    field: 'ref',
    highlight: true,
    cellStyle: { minWidth: 200 },
    render: i => (
      <>
        <IdentityName identity={i} />
        {i.purpose && (
          <Typography variant="body2" color="textSecondary">
            {i.purpose}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Owner',
    cellStyle: { minWidth: 130, whiteSpace: 'nowrap' },
    field: 'owner',
    render: i => <OwnerLink owner={i.owner} />,
  },
  {
    title: 'Environment',
    field: 'environment',
    sorting: false,
    render: i => i.environment ?? dash,
  },
  {
    title: 'Rotation',
    field: 'status.rotation.status',
    render: i =>
      i.status ? <RotationStatus rotation={i.status.rotation} /> : dash,
  },
  {
    title: 'Usage',
    cellStyle: { minWidth: 130, whiteSpace: 'nowrap' },
    field: 'status.usage.status',
    sorting: false,
    render: i => (i.status ? <UsageStatusText usage={i.status.usage} /> : dash),
  },
  {
    title: 'Review',
    cellStyle: { minWidth: 130, whiteSpace: 'nowrap' },
    field: 'status.review.status',
    sorting: false,
    render: i =>
      i.status ? <ReviewStatusText review={i.status.review.status} /> : dash,
  },
  {
    title: 'Findings',
    field: 'status.findings',
    sorting: false,
    cellStyle: { minWidth: 180 },
    render: i =>
      i.status ? <FindingChips findings={i.status.findings} /> : dash,
  },
  {
    title: 'Risk',
    field: 'status.risk',
    defaultSort: 'desc',
    render: i => (i.status ? <RiskText risk={i.status.risk} /> : dash),
  },
];
