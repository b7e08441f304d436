import { z } from 'zod';

const ACCOUNT_ID = /^\d{12}$/;
// S3's bucket naming rules, less the ones that only matter when creating a bucket.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The `settings` of an `aws-cloudtrail-s3` source: the bucket a trail delivers to, and which
 * of its accounts, regions and days to read. Credentials come from Backstage's `aws`
 * integration config (its main account), which needs s3:ListBucket and s3:GetObject there.
 */
export const awsCloudTrailS3Settings = z.strictObject({
  bucket: z.string().regex(BUCKET, 'must be an S3 bucket name'),
  /** The trail's S3 key prefix, if it has one: its logs are under <prefix>/AWSLogs/. */
  prefix: z
    .string()
    .max(200)
    .transform(p => p.replace(/^\/+|\/+$/g, ''))
    .optional(),
  /**
   * The accounts whose logs are read. Without them, every account the bucket holds logs for
   * (each folder under AWSLogs/, or under AWSLogs/<organizationId>/).
   */
  accounts: z
    .array(z.string().regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'))
    .min(1)
    .optional(),
  /** An organisation trail's id: its logs are under AWSLogs/<organizationId>/<account>/. */
  organizationId: z
    .string()
    .regex(ORGANIZATION_ID, 'must be an organization id such as o-a1b2c3d4e5')
    .optional(),
  /** The regions whose logs are read; CloudTrail keeps each in its own folder. */
  regions: z
    .array(z.string().regex(REGION, 'must be an AWS region such as eu-west-1'))
    .min(1),
  /**
   * How many days of folders to list, today's included. CloudTrail delivers a record within
   * about 15 minutes, to the folder of the day it delivers, so the default of 2 (today and
   * yesterday) also catches what was delivered just after midnight.
   */
  days: z.number().int().min(1).max(31).default(2),
  /** The S3 client's region; a bucket elsewhere is followed to its own. */
  region: z
    .string()
    .regex(REGION, 'must be an AWS region such as eu-west-1')
    .default('us-east-1'),
  /** An endpoint other than AWS's public one: a VPC endpoint, an S3-compatible store, a test. */
  endpoint: z.url().optional(),
});

export type AwsCloudTrailS3Settings = z.infer<typeof awsCloudTrailS3Settings>;
