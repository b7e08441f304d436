import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { IdentityView, discoveredBy } from '@nhi-governance/plugin-nhi-common';

/** Marks an identity a source found and nobody declared, naming the source on hover. */
export function DiscoveredChip(props: { sourceId: string }) {
  return (
    <Tooltip
      title={`Found by discovery source ${props.sourceId}; nobody declared it in the catalog`}
    >
      <Chip
        label="Discovered"
        size="small"
        variant="outlined"
        color="secondary"
        data-testid="discovered-chip"
      />
    </Tooltip>
  );
}

/**
 * An identity's name: a link to its catalog page when it was declared. A discovered identity
 * has no catalog entity to link to until a team claims it, so it gets its name and a chip.
 */
export function IdentityName(props: {
  identity: IdentityView;
  /** Passed to the link: the kind it leaves out of the name. */
  defaultKind?: string;
}) {
  const { identity } = props;
  const sourceId = discoveredBy(identity.source);
  if (!sourceId) {
    return (
      <EntityRefLink
        entityRef={identity.ref}
        defaultKind={props.defaultKind}
        hideIcon
      />
    );
  }
  return (
    <>
      <Typography variant="body2" component="span" style={{ marginRight: 8 }}>
        {parseEntityRef(identity.ref).name}
      </Typography>
      <DiscoveredChip sourceId={sourceId} />
    </>
  );
}
