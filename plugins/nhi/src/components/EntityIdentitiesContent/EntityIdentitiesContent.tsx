import { PendingAttestations } from '../Attestations';
import { ReactNode, useMemo, useState } from 'react';
import { Progress } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { IdentitiesErrorPanel } from './IdentitiesErrorPanel';
import { IdentitiesTable } from './IdentitiesTable';
import {
  DEFAULT_FILTERS,
  IdentityFilterState,
  IdentityFilters,
  hasFilters,
  toListQuery,
} from './IdentityFilters';
import { NoIdentities } from './NoIdentities';
import { useEntityIdentities } from './useEntityIdentities';

/** Rows per server page; the pager appears only when there are more. */
export const IDENTITIES_PAGE_SIZE = 100;

/**
 * The layout of the "Identities" tab: pending attestations on top, then the identities.
 * `identityRefs` are the refs of the identities the tab shows (MachineIdentity entity refs,
 * e.g. `machineidentity:default/payments-db-writer`); empty while they load.
 */
export function EntityIdentitiesLayout(props: {
  identityRefs: string[];
  children: ReactNode;
}) {
  return (
    <Grid container spacing={3} direction="column">
      {/* Empty unless the viewer has something to decide about these identities. */}
      <Grid item>
        <PendingAttestations identityRefs={props.identityRefs} />
      </Grid>
      <Grid item>{props.children}</Grid>
    </Grid>
  );
}

/** The "Identities" tab of a component, system or group page. */
export function EntityIdentitiesContent() {
  const [filters, setFilters] = useState<IdentityFilterState>(DEFAULT_FILTERS);
  const [page, setPage] = useState(0);
  const query = useMemo(
    () =>
      toListQuery(filters, {
        limit: IDENTITIES_PAGE_SIZE,
        offset: page * IDENTITIES_PAGE_SIZE,
      }),
    [filters, page],
  );
  const { value, loading, error } = useEntityIdentities(query);
  const identityRefs = useMemo(
    () => (value?.items ?? []).map(i => i.ref),
    [value],
  );

  let body: ReactNode;
  if (error) {
    body = <IdentitiesErrorPanel error={error} />;
  } else if (!value) {
    body = <Progress />;
  } else if (
    value.totalItems === 0 &&
    !hasFilters(filters) &&
    page === 0 &&
    !loading
  ) {
    body = <NoIdentities />;
  } else {
    body = (
      <IdentitiesTable
        identities={value.items}
        totalItems={value.totalItems}
        page={page}
        pageSize={IDENTITIES_PAGE_SIZE}
        onPageChange={setPage}
        loading={loading}
        filters={
          <IdentityFilters
            value={filters}
            onChange={next => {
              setFilters(next);
              setPage(0);
            }}
          />
        }
        emptyContent={
          <Typography variant="body2" color="textSecondary" align="center">
            No machine identities match these filters.
          </Typography>
        }
      />
    );
  }

  return (
    <EntityIdentitiesLayout identityRefs={identityRefs}>
      {body}
    </EntityIdentitiesLayout>
  );
}
