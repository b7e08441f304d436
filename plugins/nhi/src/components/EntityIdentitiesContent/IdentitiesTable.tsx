import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { MachineIdentityEntity } from '@nhi-governance/plugin-nhi-common';
import { IdentityTypeIcon } from '../IdentityTypeIcon';
import { ScopeCell } from './ScopeCell';

const dash = '—';

const columns: TableColumn<MachineIdentityEntity>[] = [
  {
    title: 'Type',
    field: 'spec.type',
    render: e => <IdentityTypeIcon type={e.spec.type as any} />,
  },
  {
    title: 'Identity',
    field: 'metadata.name',
    highlight: true,
    cellStyle: { minWidth: 180 },
    render: e => (
      <>
        <EntityRefLink entityRef={e} hideIcon />
        <Typography variant="body2" color="textSecondary">
          {e.spec.purpose}
        </Typography>
      </>
    ),
  },
  {
    title: 'Environment',
    field: 'spec.environment',
    render: e => (
      <>
        {e.spec.environment ?? dash}
        <Typography variant="body2" color="textSecondary">
          {e.spec.provider ?? ''}
        </Typography>
      </>
    ),
  },
  {
    title: 'Owner',
    field: 'spec.owner',
    render: e => (
      <EntityRefLink
        entityRef={e.spec.owner}
        defaultKind="group"
        defaultNamespace={e.metadata.namespace}
      />
    ),
  },
  {
    title: 'Scope',
    field: 'spec.privilege',
    render: e => <ScopeCell spec={e.spec} />,
  },
  {
    title: 'Credential',
    field: 'spec.credential.lastRotatedAt',
    render: e => (
      <>
        <Typography variant="body2" noWrap>
          rotated {e.spec.credential?.lastRotatedAt ?? dash}
        </Typography>
        <Typography variant="body2" color="textSecondary" noWrap>
          expires {e.spec.credential?.expiresAt ?? dash}
        </Typography>
      </>
    ),
  },
];

/** The machine identities attached to an entity, one row each. */
export function IdentitiesTable(props: {
  identities: MachineIdentityEntity[];
}) {
  return (
    <Table<MachineIdentityEntity>
      title={`Machine identities (${props.identities.length})`}
      columns={columns}
      data={props.identities}
      options={{
        paging: props.identities.length > 20,
        pageSize: 20,
        search: true,
        padding: 'dense',
      }}
    />
  );
}
