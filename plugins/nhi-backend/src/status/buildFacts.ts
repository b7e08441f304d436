import type { IdentityFacts, IdentityRecord } from '../engine/types';
import type { Policy } from '../policy/Policy';

/** What the catalog says around the identities. */
export interface CatalogContext {
  /** Full refs of the groups and users in the catalog. */
  existingOwners: Set<string>;
  /** Full refs of components, resources and systems, with whether they are deprecated. */
  entityStates: Map<string, 'active' | 'deprecated'>;
}

/**
 * The facts about one identity. Usage, rotation events, logins and failures come from ingested
 * events; until the events API feeds them, an identity has none.
 */
export function buildFacts(
  identity: IdentityRecord,
  catalog: CatalogContext,
  credentialEnvironments: string[],
  policy: Policy,
): IdentityFacts {
  return {
    ownerExists: !!identity.owner && catalog.existingOwners.has(identity.owner),
    usedByStates: Object.fromEntries(
      identity.usedBy.map(ref => [
        ref,
        catalog.entityStates.get(ref) ?? 'missing',
      ]),
    ),
    credentialEnvironments: credentialEnvironments.length
      ? credentialEnvironments
      : [identity.environment ?? ''].filter(Boolean),
    usage: {
      providerMonitored:
        !!identity.provider &&
        policy.monitoredProviders.includes(identity.provider),
    },
    interactiveLogins: { count: 0 },
    authFailures: { lastDay: 0, dailyAverage: 0 },
    review: 'never-reviewed',
  };
}
