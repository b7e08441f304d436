import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { DiscoveredCredentialView } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { compactTable } from '../compactTable';
import { ClaimDialog, claimYaml } from '../../discovery';

/** How many undeclared credentials of each source the panel shows. */
const PER_SOURCE = 100;

/** The undeclared credentials of every source that lists any, up to PER_SOURCE each. */
function useUndeclared() {
  const nhiApi = useApi(nhiApiRef);
  return useAsync(async () => {
    const { items: sources } = await nhiApi.listDiscoverySources();
    const pages = await Promise.all(
      sources
        .filter(s => s.credentials > 0)
        .map(s =>
          nhiApi.listDiscoveredCredentials(s.id, {
            undeclared: true,
            limit: PER_SOURCE,
          }),
        ),
    );
    return pages.flatMap(p => p.items);
  }, [nhiApi]);
}

/** The credentials' columns; the last offers Claim. */
function undeclaredColumns(
  claim: (credential: DiscoveredCredentialView) => void,
): TableColumn<DiscoveredCredentialView>[] {
  return [
    { title: 'Source', field: 'sourceId' },
    {
      title: 'Credential',
      field: 'externalId',
      render: c => (
        <>
          <Typography variant="body2">
            {c.displayName ?? c.externalId}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {c.kind} · {c.principal}
          </Typography>
        </>
      ),
    },
    {
      title: 'Active',
      field: 'active',
      render: c => (c.active ? 'yes' : 'no'),
    },
    {
      title: 'Last used',
      field: 'lastUsedAt',
      render: c => c.lastUsedAt?.slice(0, 10) ?? 'never seen',
    },
    {
      title: 'Owner (from the source)',
      field: 'ownerHint',
      render: c => c.ownerHint ?? 'unowned',
    },
    {
      title: '',
      field: 'principal',
      render: c => (
        <Button size="small" variant="outlined" onClick={() => claim(c)}>
          Claim
        </Button>
      ),
    },
  ];
}

/**
 * Credentials that sources list and nobody declared: the gap between what the clouds hold
 * and what the catalog says. Each can be claimed with the YAML to add.
 */
export function UndeclaredPanel() {
  const [claiming, setClaiming] = useState<DiscoveredCredentialView>();
  const undeclared = useUndeclared();

  if (undeclared.loading) return <Progress />;
  if (undeclared.error) return <ResponseErrorPanel error={undeclared.error} />;
  const items = undeclared.value ?? [];
  return (
    <>
      <Table<DiscoveredCredentialView>
        title="Undeclared identities"
        subtitle="Listed by a source, declared by nobody in the catalog"
        columns={undeclaredColumns(setClaiming)}
        data={items}
        options={compactTable(items.length)}
        localization={{
          body: {
            emptyDataSourceMessage:
              'Every credential the sources list is declared in the catalog',
          },
        }}
      />
      {claiming && (
        <ClaimDialog
          name={claiming.displayName ?? claiming.principal}
          yaml={claimYaml(claiming)}
          onClose={() => setClaiming(undefined)}
        />
      )}
    </>
  );
}
