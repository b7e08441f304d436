import type { IdentityView } from '@nhi-governance/plugin-nhi-common';
import type { StoredIdentity } from './store/IdentityStore';

/** A stored identity as the API and the permission rules see it. */
export const toView = (stored: StoredIdentity): IdentityView => ({
  ...stored.record,
  source: stored.source,
  firstSeenAt: stored.firstSeenAt,
  removedAt: stored.removedAt,
  status: stored.status,
});
