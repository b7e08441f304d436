import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';
import { z } from 'zod';
import {
  NON_RESPONSE_ACTIONS,
  NonResponseAction,
} from '@nhi-governance/plugin-nhi-common';

/** How recertification runs; see config.d.ts (`nhi.reviews`) for each setting. */
export interface ReviewSettings {
  /** Whether campaigns start by themselves on the policy's review cadence. */
  scheduleCampaigns: boolean;
  /** How long after opening a campaign is due. */
  campaignDuration: Duration;
  /** How long before the due date the reminder goes out. */
  reminderBefore: Duration;
  nonResponseAction: NonResponseAction;
  /** Whether whoever approved an identity may also certify it. Off: separation of duties. */
  allowApproverToCertify: boolean;
  /** How long a revoke or reduce-scope decision gives the owner to carry it out. */
  remediationPeriod: Duration;
  /** How long before an exception expires its owner hears of it. */
  exceptionExpiryNotice: Duration;
  /** Who handles escalations, exception requests and identities without an owner. */
  securityGroup: string;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  scheduleCampaigns: true,
  campaignDuration: Duration.fromISO('P30D'),
  reminderBefore: Duration.fromISO('P7D'),
  nonResponseAction: 'escalate',
  allowApproverToCertify: false,
  remediationPeriod: Duration.fromISO('P14D'),
  exceptionExpiryNotice: Duration.fromISO('P14D'),
  securityGroup: 'group:default/security',
};

const duration = z
  .string()
  .refine(
    v => Duration.fromISO(v).isValid && Duration.fromISO(v).toMillis() > 0,
    {
      message: 'must be a positive ISO 8601 duration such as P30D',
    },
  )
  .transform(v => Duration.fromISO(v));

const settingsSchema = z.strictObject({
  scheduleCampaigns: z.boolean().optional(),
  campaignDuration: duration.optional(),
  reminderBefore: duration.optional(),
  nonResponseAction: z
    .enum(NON_RESPONSE_ACTIONS, {
      error: `must be one of ${NON_RESPONSE_ACTIONS.join(', ')}`,
    })
    .optional(),
  allowApproverToCertify: z.boolean().optional(),
  remediationPeriod: duration.optional(),
  exceptionExpiryNotice: duration.optional(),
  securityGroup: z
    .string()
    .regex(
      /^group:[^/]+\/.+$/,
      'must be a full group ref such as group:default/security',
    )
    .optional(),
});

/** Reads `nhi.reviews`; a bad value stops start-up with a message naming the key. */
export function readReviewSettings(config: Config): ReviewSettings {
  const result = settingsSchema.safeParse(
    config.getOptional('nhi.reviews') ?? {},
  );
  if (!result.success) {
    const problems = result.error.issues.map(issue =>
      issue.code === 'unrecognized_keys'
        ? issue.keys
            .map(k => `nhi.reviews.${k} is not a review setting`)
            .join('; ')
        : `${['nhi.reviews', ...issue.path].join('.')} ${issue.message}`,
    );
    throw new InputError(`Invalid review settings: ${problems.join('; ')}`);
  }
  const defined = Object.fromEntries(
    Object.entries(result.data).filter(([, v]) => v !== undefined),
  );
  return { ...DEFAULT_REVIEW_SETTINGS, ...defined };
}
