import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { IdentitiesTable } from './IdentitiesTable';
import { NoIdentities } from './NoIdentities';
import { useRelatedIdentities } from './useRelatedIdentities';

/** The "Identities" tab of a component, system or group page. */
export function EntityIdentitiesContent() {
  const { value, loading, error } = useRelatedIdentities();
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.length === 0) return <NoIdentities />;
  return <IdentitiesTable identities={value} />;
}
