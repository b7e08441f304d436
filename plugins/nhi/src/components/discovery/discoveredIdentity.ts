import type { IdentityView } from '@nhi-governance/plugin-nhi-common';

const DISCOVERED_SOURCE_PREFIX = 'discovery:';

/**
 * The discovery source that found the identity when nobody declared it (its registry source
 * is `discovery:<sourceId>`); nothing for a declared one.
 */
export function discoveredBy(identity: IdentityView): string | undefined {
  return identity.source.startsWith(DISCOVERED_SOURCE_PREFIX)
    ? identity.source.slice(DISCOVERED_SOURCE_PREFIX.length)
    : undefined;
}
