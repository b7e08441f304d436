import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';
import { z } from 'zod';
import { MACHINE_IDENTITY_TYPES } from '@nhi-governance/plugin-nhi-common';
import { DEFAULT_POLICY, Policy } from './Policy';

const duration = z
  .string({ error: 'must be an ISO 8601 duration such as P90D' })
  .refine(
    v => {
      const d = Duration.fromISO(v);
      return d.isValid && d.toMillis() > 0;
    },
    { message: 'must be a positive ISO 8601 duration such as P90D' },
  )
  .transform(v => Duration.fromISO(v));

const identityType = z.enum(MACHINE_IDENTITY_TYPES, {
  error: `must be one of ${MACHINE_IDENTITY_TYPES.join(', ')}`,
});

const agesByType = z.partialRecord(identityType, duration);

const wholeDays = (min: number, max: number) =>
  z
    .number()
    .int('must be a whole number of days')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const policySchema = z.strictObject({
  maxCredentialAge: agesByType.optional(),
  environments: z
    .record(
      z.string(),
      z.strictObject({ maxCredentialAge: agesByType.optional() }),
    )
    .optional(),
  dueSoonWindow: duration.optional(),
  dormancyThreshold: duration.optional(),
  neverUsedGracePeriod: duration.optional(),
  reviewCadence: duration.optional(),
  maxLifetime: duration.optional(),
  exemptTypes: z.array(identityType).optional(),
  monitoredProviders: z.array(z.string()).optional(),
  authFailureSpike: z
    .strictObject({
      minimum: z.number().int().min(1, 'must be at least 1').optional(),
      factor: z.number().min(1, 'must be at least 1').optional(),
    })
    .optional(),
  anomaly: z
    .strictObject({
      recentDays: wholeDays(1, 30).optional(),
      baselineDays: wholeDays(7, 90).optional(),
      minimumBaselineDays: wholeDays(1, 90).optional(),
      volumeFactor: z.number().min(1, 'must be at least 1').optional(),
      minimumVolume: z.number().int().min(1, 'must be at least 1').optional(),
    })
    .optional(),
});

/**
 * Reads `nhi.policy` from app-config over the defaults. A bad value fails start-up with a
 * message naming the key, rather than silently measuring identities against the wrong rule.
 */
export function readPolicy(config: Config): Policy {
  const raw = config.getOptional('nhi.policy') ?? {};
  const result = policySchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.flatMap(issue => {
      const keys =
        issue.code === 'unrecognized_keys'
          ? issue.keys.map(k => [...issue.path, k])
          : [issue.path];
      const message =
        issue.code === 'unrecognized_keys'
          ? 'is not a policy setting'
          : issue.message;
      return keys.map(path => `nhi.policy.${path.join('.')} ${message}`);
    });
    throw new InputError(
      `Invalid machine identity policy: ${problems.join('; ')}`,
    );
  }
  const p = result.data;
  return {
    maxCredentialAge: {
      ...DEFAULT_POLICY.maxCredentialAge,
      ...p.maxCredentialAge,
    },
    environments: Object.fromEntries(
      Object.entries(p.environments ?? {}).map(([env, v]) => [
        env,
        { maxCredentialAge: { ...v.maxCredentialAge } },
      ]),
    ),
    dueSoonWindow: p.dueSoonWindow ?? DEFAULT_POLICY.dueSoonWindow,
    dormancyThreshold: p.dormancyThreshold ?? DEFAULT_POLICY.dormancyThreshold,
    neverUsedGracePeriod:
      p.neverUsedGracePeriod ?? DEFAULT_POLICY.neverUsedGracePeriod,
    reviewCadence: p.reviewCadence ?? DEFAULT_POLICY.reviewCadence,
    maxLifetime: p.maxLifetime ?? DEFAULT_POLICY.maxLifetime,
    exemptTypes: p.exemptTypes ?? DEFAULT_POLICY.exemptTypes,
    monitoredProviders:
      p.monitoredProviders ?? DEFAULT_POLICY.monitoredProviders,
    authFailureSpike: {
      ...DEFAULT_POLICY.authFailureSpike,
      ...p.authFailureSpike,
    },
    anomaly: { ...DEFAULT_POLICY.anomaly, ...p.anomaly },
  };
}
