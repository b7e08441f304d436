import { ReactNode, useMemo, useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import { IdentityView, discoveredBy } from '@nhi-governance/plugin-nhi-common';
import { IdentityTypeIcon } from '../IdentityTypeIcon';
import { IdentityDetailsPanel } from '../IdentityDetails';
import { ClaimDialog, IdentityName, claimYamlForIdentity } from '../discovery';
import {
  FindingChips,
  OwnerLink,
  ReviewStatusText,
  RotationStatus,
  StatusText,
  UsageStatusText,
} from '../shared';
import { ScopeCell } from './ScopeCell';

const dash = '—';

const notAssessed = <StatusText tone="pending">not assessed yet</StatusText>;

/** Name and purpose; a discovered identity nobody declared offers Claim. */
function IdentityCell(props: {
  identity: IdentityView;
  onClaim: (identity: IdentityView) => void;
}) {
  const { identity: i, onClaim } = props;
  return (
    <>
      <IdentityName identity={i} defaultKind="MachineIdentity" />
      {i.purpose && (
        <Typography variant="body2" color="textSecondary">
          {i.purpose}
        </Typography>
      )}
      {discoveredBy(i.source) && (
        <Box mt={0.5}>
          <Button size="small" variant="outlined" onClick={() => onClaim(i)}>
            Claim
          </Button>
        </Box>
      )}
    </>
  );
}

function EnvironmentCell(props: { identity: IdentityView }) {
  const { environment, provider } = props.identity;
  return (
    <>
      {environment ?? dash}
      <Typography variant="body2" color="textSecondary">
        {provider ?? ''}
      </Typography>
    </>
  );
}

/** The columns; `onClaim` opens the claim YAML of a discovered identity. */
const identityColumns = (
  onClaim: (identity: IdentityView) => void,
): TableColumn<IdentityView>[] => [
  {
    title: 'Type',
    field: 'type',
    render: i => <IdentityTypeIcon type={i.type} />,
  },
  {
    title: 'Identity',
    field: 'ref',
    highlight: true,
    cellStyle: { minWidth: 180 },
    render: i => <IdentityCell identity={i} onClaim={onClaim} />,
  },
  {
    title: 'Environment',
    field: 'environment',
    render: i => <EnvironmentCell identity={i} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    cellStyle: { minWidth: 120, whiteSpace: 'nowrap' },
    render: i => <OwnerLink owner={i.owner} />,
  },
  {
    title: 'Scope',
    field: 'privilege',
    render: i => <ScopeCell identity={i} />,
  },
  {
    title: 'Rotation',
    field: 'status.rotation.status',
    cellStyle: { minWidth: 160 },
    render: i =>
      i.status ? <RotationStatus rotation={i.status.rotation} /> : notAssessed,
  },
  {
    title: 'Last used',
    field: 'status.usage.lastUsedAt',
    cellStyle: { minWidth: 130 },
    render: i =>
      i.status ? <UsageStatusText usage={i.status.usage} /> : notAssessed,
  },
  {
    title: 'Review',
    field: 'status.review.status',
    cellStyle: { minWidth: 130 },
    render: i =>
      i.status ? (
        <ReviewStatusText review={i.status.review.status} />
      ) : (
        notAssessed
      ),
  },
  {
    title: 'Findings',
    field: 'status.findings',
    cellStyle: { minWidth: 160 },
    render: i =>
      i.status ? <FindingChips findings={i.status.findings} /> : notAssessed,
  },
];

/**
 * One page of an entity's machine identities, one row each; a row expands into its findings,
 * sources, timeline and decision history. Sorting, filtering and paging happen on the server.
 * An identity a discovery source found and nobody declared is marked, with the YAML to claim it.
 */
export function IdentitiesTable(props: {
  identities: IdentityView[];
  totalItems: number;
  /** Zero-based. */
  page: number;
  pageSize: number;
  onPageChange: (page: number) => void;
  loading?: boolean;
  /** Shown above the table, inside its toolbar row. */
  filters?: ReactNode;
  emptyContent?: ReactNode;
}) {
  const { identities, totalItems, page, pageSize } = props;
  const [claiming, setClaiming] = useState<IdentityView>();
  const columns = useMemo(() => identityColumns(setClaiming), []);
  return (
    <>
      {props.filters}
      <Table<IdentityView>
        title={`Machine identities (${totalItems})`}
        columns={columns}
        data={identities}
        isLoading={props.loading}
        emptyContent={props.emptyContent}
        detailPanel={[
          {
            tooltip: 'Findings, sources, timeline and decisions',
            render: ({ rowData }) => (
              <IdentityDetailsPanel identity={rowData} />
            ),
          },
        ]}
        options={{
          paging: false,
          search: false,
          sorting: false,
          draggable: false,
          padding: 'dense',
          detailPanelType: 'multiple',
        }}
      />
      {totalItems > pageSize && (
        <TablePagination
          component="div"
          count={totalItems}
          page={page}
          rowsPerPage={pageSize}
          rowsPerPageOptions={[pageSize]}
          onPageChange={(_event, next) => props.onPageChange(next)}
        />
      )}
      {claiming && (
        <ClaimDialog
          name={parseEntityRef(claiming.ref).name}
          yaml={claimYamlForIdentity(claiming)}
          onClose={() => setClaiming(undefined)}
        />
      )}
    </>
  );
}
