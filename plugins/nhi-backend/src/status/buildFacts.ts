import type { IdentitySourceFacts } from '@nhi-governance/plugin-nhi-common';
import { sourceLastUsedAt } from '../engine/sourceDates';
import type {
  GovernanceFacts,
  IdentityFacts,
  IdentityRecord,
} from '../engine/types';
import type { Policy } from '../policy/Policy';
import type { WindowedEventFacts } from '../events/WindowedEventFacts';
import type { RowEventFacts } from './store/StatusStore';

/** What the catalog says around the identities. */
export interface CatalogContext {
  /** Full refs of the groups and users in the catalog. */
  existingOwners: Set<string>;
  /** Full refs of components, resources and systems, with whether they are deprecated. */
  entityStates: Map<string, 'active' | 'deprecated'>;
}

const NO_WINDOWED_FACTS: WindowedEventFacts = {
  interactiveLogins: { count: 0 },
  authFailures: { lastDay: 0, dailyAverage: 0 },
};

/** The facts about one identity: the catalog around it and what its events say. */
export function buildFacts(
  identity: Pick<
    IdentityRecord,
    'owner' | 'usedBy' | 'environment' | 'provider'
  >,
  catalog: CatalogContext,
  credentialEnvironments: string[] | undefined,
  events: RowEventFacts,
  windowed: WindowedEventFacts | undefined,
  monitoredProviders: Set<string>,
  policy: Policy,
  governance: GovernanceFacts = {},
  sources: IdentitySourceFacts[] = [],
): IdentityFacts {
  const sourceUse = sourceLastUsedAt(sources);
  const usedByStates: IdentityFacts['usedByStates'] = {};
  for (const ref of identity.usedBy) {
    usedByStates[ref] = catalog.entityStates.get(ref) ?? 'missing';
  }
  return {
    ownerExists: !!identity.owner && catalog.existingOwners.has(identity.owner),
    usedByStates,
    credentialEnvironments: credentialEnvironments?.length
      ? credentialEnvironments
      : [identity.environment ?? ''].filter(Boolean),
    lastRotationEventAt: events.lastRotationEventAt,
    lastRevokedAt: events.lastRevokedAt,
    lastExpiredEventAt: events.lastExpiredEventAt,
    usage: {
      lastUsedAt:
        !sourceUse || (events.lastUsedAt ?? '') > sourceUse
          ? events.lastUsedAt
          : sourceUse,
      providerMonitored:
        sources.some(s => s.listed && s.reportsUsage) ||
        (!!identity.provider &&
          (monitoredProviders.has(identity.provider) ||
            policy.monitoredProviders.includes(identity.provider))),
    },
    ...(windowed ?? NO_WINDOWED_FACTS),
    governance,
    sources,
    ...(events.anomalies ? { unusualDays: JSON.parse(events.anomalies) } : {}),
  };
}
