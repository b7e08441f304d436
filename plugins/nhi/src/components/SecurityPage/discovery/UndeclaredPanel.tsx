import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CodeSnippet,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import type { DiscoveredCredentialView } from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { compactTable } from '../compactTable';
import { claimYaml } from './claimYaml';

/** How many undeclared credentials of each source the panel shows. */
const PER_SOURCE = 100;

function ClaimDialog(props: {
  credential: DiscoveredCredentialView;
  onClose: () => void;
}) {
  const { credential } = props;
  return (
    <Dialog open onClose={props.onClose} maxWidth="md" fullWidth>
      <DialogTitle>
        Claim {credential.displayName ?? credential.principal}
      </DialogTitle>
      <DialogContent>
        <Typography paragraph>
          The owning team adds this to its catalog-info.yaml, with the purpose,
          the components that use it and its scopes. Once the catalog reads it,
          the credential counts as declared.
        </Typography>
        <CodeSnippet
          language="yaml"
          text={claimYaml(credential)}
          showCopyCodeButton
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Credentials that sources list and nobody declared: the gap between what the clouds hold
 * and what the catalog says. Each can be claimed with the YAML to add.
 */
export function UndeclaredPanel() {
  const nhiApi = useApi(nhiApiRef);
  const [claiming, setClaiming] = useState<DiscoveredCredentialView>();
  const undeclared = useAsync(async () => {
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

  const columns: TableColumn<DiscoveredCredentialView>[] = [
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
        <Button size="small" variant="outlined" onClick={() => setClaiming(c)}>
          Claim
        </Button>
      ),
    },
  ];

  if (undeclared.loading) return <Progress />;
  if (undeclared.error) return <ResponseErrorPanel error={undeclared.error} />;
  const items = undeclared.value ?? [];
  return (
    <>
      <Table<DiscoveredCredentialView>
        title="Undeclared identities"
        subtitle="Listed by a source, declared by nobody in the catalog"
        columns={columns}
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
          credential={claiming}
          onClose={() => setClaiming(undefined)}
        />
      )}
    </>
  );
}
