import { z } from 'zod';

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The `settings` of an `aws-iam` source. Credentials come from Backstage's `aws` integration
 * config (its main account); the connector reads the accounts listed here, or every active
 * account of the organisation, assuming `roleName` in each one that is not the caller's own.
 */
export const awsIamSettings = z
  .strictObject({
    /** Account ids to read; with `organization`, the organisation's accounts are read instead. */
    accounts: z
      .array(z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'))
      .min(1)
      .optional(),
    /** Read every active account that Organizations ListAccounts gives. */
    organization: z.boolean().default(false),
    /**
     * The role assumed in each account (arn:aws:iam::<account>:role/<roleName>). Without it,
     * each account's credentials come from the `aws` integration config (aws.accounts,
     * aws.accountDefaults).
     */
    roleName: z.string().min(1).max(64).optional(),
    region: z.string().min(1).default('us-east-1'),
    /** Tags whose value names the owning team, in order of preference. */
    ownerTags: z.array(z.string().min(1)).min(1).default(['owner', 'team']),
    /** Endpoints other than AWS's public ones (VPC endpoints, FIPS, or a test server). */
    endpoints: z
      .strictObject({
        iam: z.url().optional(),
        sts: z.url().optional(),
        organizations: z.url().optional(),
      })
      .optional(),
  })
  .refine(s => s.organization || s.accounts, {
    message: 'give accounts, or organization: true',
    path: ['accounts'],
  });

export type AwsIamSettings = z.infer<typeof awsIamSettings>;
