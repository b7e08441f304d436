import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import type { NhiConnector } from '@nhi-governance/plugin-nhi-node';
import { describeAwsError } from '../awsErrors';
import { accountsToRead } from './accounts';
import { readAccount } from './readAccount';
import { awsIamSettings, AwsIamSettings } from './settings';

export const AWS_IAM_CONNECTOR = 'aws-iam';

/**
 * The `aws-iam` connector: every account's IAM users' access keys and signing certificates,
 * from its credential report, with owners from user tags. An account that cannot be read
 * (its role cannot be assumed, its credentials are refused, IAM fails) keeps its last good
 * credentials and shows its error on the Discovery tab; the others are read as usual.
 */
export function awsIamConnector(options: {
  credentials: AwsCredentialsManager;
  /** How long to wait between polls while AWS generates a credential report. */
  reportPollMs?: number;
}): NhiConnector {
  return {
    id: AWS_IAM_CONNECTOR,
    kind: 'credentials',
    provider: 'aws',
    // The report says when each access key was last used.
    reportsUsage: true,
    settingsSchema: awsIamSettings,
    // AWS regenerates a credential report at most every four hours.
    defaultSchedule: { frequency: { hours: 4 }, timeout: { minutes: 30 } },
    async *read(read) {
      const settings = read.settings as AwsIamSettings;
      const accounts = await accountsToRead(
        settings,
        options.credentials,
        read.signal,
      );
      for (const account of accounts) {
        try {
          yield* readAccount(account, {
            settings,
            read,
            pollMs: options.reportPollMs ?? 2_000,
          });
          read.scopes.read(account.id);
        } catch (e) {
          if (read.signal.aborted) throw e;
          read.logger.warn(`AWS account ${account.id} was not read`, {
            error: describeAwsError(e),
          });
          read.scopes.failed(account.id, new Error(describeAwsError(e)));
        }
      }
    },
  };
}
