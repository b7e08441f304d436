import type { EventFacts } from '../database/eventTable';
import type { IdentityFacts, IdentityRecord } from '../engine/types';
import type { Policy } from '../policy/Policy';

/** What the catalog says around the identities. */
export interface CatalogContext {
  /** Full refs of the groups and users in the catalog. */
  existingOwners: Set<string>;
  /** Full refs of components, resources and systems, with whether they are deprecated. */
  entityStates: Map<string, 'active' | 'deprecated'>;
}

/** The facts about one identity: the catalog around it and what its events say. */
export function buildFacts(
  identity: IdentityRecord,
  catalog: CatalogContext,
  credentialEnvironments: string[],
  events: EventFacts,
  monitoredProviders: Set<string>,
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
    lastRotationEventAt: events.lastRotationEventAt,
    usage: {
      lastUsedAt: events.lastUsedAt,
      providerMonitored:
        !!identity.provider &&
        (monitoredProviders.has(identity.provider) ||
          policy.monitoredProviders.includes(identity.provider)),
    },
    interactiveLogins: events.interactiveLogins,
    authFailures: events.authFailures,
    review: 'never-reviewed',
  };
}
