import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { accountsRoot } from './logLayout';
import { LogReadError } from './readFailure';
import type { AwsCloudTrailS3Settings } from './settings';

/**
 * Every account the bucket holds the trail's logs for, in key order: the folders under
 * AWSLogs/ (or AWSLogs/<organizationId>/) named by an account id. Another trail's
 * organisation folder next to them is not an account.
 */
export async function bucketAccounts(
  s3: S3Client,
  settings: AwsCloudTrailS3Settings,
  signal: AbortSignal,
): Promise<string[]> {
  const root = accountsRoot(settings);
  const accounts: string[] = [];
  try {
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: settings.bucket, Prefix: root, Delimiter: '/' },
      { abortSignal: signal },
    )) {
      for (const { Prefix } of page.CommonPrefixes ?? []) {
        const name = Prefix?.slice(root.length, -1);
        if (name && /^\d{12}$/.test(name)) accounts.push(name);
      }
    }
  } catch (e) {
    throw new LogReadError(
      `the accounts under s3://${settings.bucket}/${root} could not be listed, so none was read`,
      e,
    );
  }
  return accounts;
}
