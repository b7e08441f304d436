import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { StatusText } from './StatusChips';

/** The owner group as a link, or a warning that there is none. */
export function OwnerLink(props: { owner?: string }) {
  return props.owner ? (
    <EntityRefLink entityRef={props.owner} defaultKind="group" />
  ) : (
    <StatusText tone="error">no owner</StatusText>
  );
}
