import { Duration } from 'luxon';
import type { MachineIdentityType } from '@nhi-governance/plugin-nhi-common';
import type { Policy } from '@nhi-governance/plugin-nhi-node';

// Defined in nhi-node, where finding rules of backend modules read the policy too.
export type { AnomalyPolicy, Policy } from '@nhi-governance/plugin-nhi-node';

/** Defaults that match common SOC 2 practice; every one can be changed in app-config. */
export const DEFAULT_POLICY: Policy = {
  maxCredentialAge: {
    'service-account': Duration.fromISO('P90D'),
    'api-key': Duration.fromISO('P90D'),
    'access-token': Duration.fromISO('P90D'),
    'oauth-client': Duration.fromISO('P180D'),
    certificate: Duration.fromISO('P365D'),
    'ssh-key': Duration.fromISO('P180D'),
    'workload-identity': Duration.fromISO('P90D'),
    'ci-runner': Duration.fromISO('P90D'),
    'ai-agent': Duration.fromISO('P90D'),
  },
  environments: {},
  dueSoonWindow: Duration.fromISO('P14D'),
  dormancyThreshold: Duration.fromISO('P90D'),
  neverUsedGracePeriod: Duration.fromISO('P30D'),
  reviewCadence: Duration.fromISO('P3M'),
  maxLifetime: Duration.fromISO('P1Y'),
  exemptTypes: ['workload-identity'],
  monitoredProviders: [],
  authFailureSpike: { minimum: 20, factor: 5 },
  anomaly: {
    recentDays: 7,
    baselineDays: 30,
    minimumBaselineDays: 7,
    volumeFactor: 5,
    minimumVolume: 50,
  },
};

// One Duration per distinct ISO string: entities repeat a handful of periods, and the engine
// caches date arithmetic per Duration object.
const ownPeriods = new Map<string, Duration>();
function ownPeriod(iso: string): Duration {
  let period = ownPeriods.get(iso);
  if (!period) {
    if (ownPeriods.size > 1000) ownPeriods.clear();
    period = Duration.fromISO(iso);
    ownPeriods.set(iso, period);
  }
  return period;
}

/** The rotation period for an identity: its own, else its environment's, else its type's. */
export function rotationPeriodFor(
  policy: Policy,
  type: MachineIdentityType,
  environment?: string,
  own?: string,
): Duration {
  if (own) return ownPeriod(own);
  const byEnvironment = environment
    ? policy.environments[environment]?.maxCredentialAge[type]
    : undefined;
  return byEnvironment ?? policy.maxCredentialAge[type];
}
