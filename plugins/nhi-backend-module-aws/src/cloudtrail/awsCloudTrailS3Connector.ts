import { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { NhiConnector } from '@nhi-governance/plugin-nhi-node';
import { describeAwsError, isRefusedCredentials } from '../awsErrors';
import { bucketAccounts } from './bucketAccounts';
import { readAccountLogs } from './readAccountLogs';
import { LogReadError } from './readFailure';
import {
  awsCloudTrailS3Settings,
  type AwsCloudTrailS3Settings,
} from './settings';

export const AWS_CLOUDTRAIL_S3_CONNECTOR = 'aws-cloudtrail-s3';

/**
 * The `aws-cloudtrail-s3` connector: the CloudTrail logs a trail delivers to S3, read where
 * they are, every record that names an access key or a principal a use (or a failed attempt)
 * of it. Each log object is read once: the importer keeps which objects it counted in full,
 * so a run lists each day's folder after the last of them and fetches only the others.
 *
 * Each account is a scope: one whose folders or objects cannot be read shows AWS's answer on
 * the Discovery tab while the others are read. Credentials S3 refuses stop the run, since
 * every account would fail alike.
 */
export function awsCloudTrailS3Connector(options: {
  credentials: AwsCredentialsManager;
  /** The clock that says which days' folders to list. */
  now?: () => Date;
}): NhiConnector {
  return {
    id: AWS_CLOUDTRAIL_S3_CONNECTOR,
    kind: 'usage',
    settingsSchema: awsCloudTrailS3Settings,
    // CloudTrail delivers about every five minutes, each record within about fifteen.
    defaultSchedule: { frequency: { minutes: 15 }, timeout: { minutes: 30 } },
    async *read(read) {
      const settings = read.settings as AwsCloudTrailS3Settings;
      const s3 = new S3Client({
        region: settings.region,
        // A bucket in another region answers with its region: ask there instead.
        followRegionRedirects: true,
        credentials: (await options.credentials.getCredentialProvider())
          .sdkCredentialProvider,
        // Other stores and test servers seldom serve buckets as host names.
        ...(settings.endpoint
          ? { endpoint: settings.endpoint, forcePathStyle: true }
          : {}),
      });
      try {
        const accounts = await accountsToRead(s3, settings, read.signal);
        const now = options.now?.() ?? new Date();
        for (const account of accounts) {
          try {
            yield* readAccountLogs(account, { s3, settings, read, now });
            read.scopes.read(account);
          } catch (e) {
            if (read.signal.aborted) throw e;
            const refused = refusedCredentials(e, settings);
            if (refused) throw refused;
            const words =
              e instanceof LogReadError ? e.message : describeAwsError(e);
            read.logger.warn(`AWS account ${account}'s CloudTrail not read`, {
              error: words,
            });
            read.scopes.failed(account, new Error(words));
          }
        }
      } finally {
        s3.destroy();
      }
    },
  };
}

/** The accounts listed, or else every account the bucket holds logs for; in key order. */
async function accountsToRead(
  s3: S3Client,
  settings: AwsCloudTrailS3Settings,
  signal: AbortSignal,
): Promise<string[]> {
  if (settings.accounts) return [...new Set(settings.accounts)].sort();
  try {
    return await bucketAccounts(s3, settings, signal);
  } catch (e) {
    throw refusedCredentials(e, settings) ?? e;
  }
}

/** The run's error when S3 refused the credentials themselves. */
function refusedCredentials(
  error: unknown,
  settings: AwsCloudTrailS3Settings,
): Error | undefined {
  const cause = error instanceof LogReadError ? error.cause : error;
  if (!isRefusedCredentials(cause)) return undefined;
  return new Error(
    `the aws integration's credentials could not read s3://${
      settings.bucket
    }, so the run stopped: ${describeAwsError(cause)}`,
  );
}
