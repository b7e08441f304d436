import {
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type {
  AwsCredentialProvider,
  AwsCredentialsManager,
} from '@backstage/integration-aws-node';
import { describeAwsError } from '../awsErrors';
import type { AwsIamSettings } from './settings';

type AwsCredentialIdentityProvider =
  AwsCredentialProvider['sdkCredentialProvider'];

/** An account to read, with the credentials to read it by. */
export interface AwsAccount {
  id: string;
  credentials: () => Promise<AwsCredentialIdentityProvider>;
}

/**
 * The accounts a run reads: those listed, or every active account of the organisation. The
 * caller's own account is read with its own credentials; another is read through `roleName`
 * assumed in it, or through what the `aws` integration config gives for it.
 */
export async function accountsToRead(
  settings: AwsIamSettings,
  manager: AwsCredentialsManager,
  signal: AbortSignal,
): Promise<AwsAccount[]> {
  const base = (await manager.getCredentialProvider()).sdkCredentialProvider;
  const sts = new STSClient({
    region: settings.region,
    credentials: base,
    endpoint: settings.endpoints?.sts,
  });
  const own = await callerAccount(sts, signal);
  const ids = settings.organization
    ? await organizationAccounts(settings, base, signal)
    : settings.accounts!;
  return [...new Set(ids)].map(id => ({
    id,
    credentials: async () => {
      if (id === own) return base;
      if (settings.roleName) {
        return assumeRole(sts, id, settings.roleName, signal);
      }
      return (await manager.getCredentialProvider({ accountId: id }))
        .sdkCredentialProvider;
    },
  }));
}

/** The account the integration's own credentials belong to: read without a role. */
async function callerAccount(sts: STSClient, signal: AbortSignal) {
  try {
    const me = await sts.send(new GetCallerIdentityCommand({}), {
      abortSignal: signal,
    });
    return me.Account;
  } catch (e) {
    throw new Error(
      `the aws integration's own credentials could not be used, so no account was read: ${describeAwsError(
        e,
      )}`,
    );
  }
}

async function organizationAccounts(
  settings: AwsIamSettings,
  credentials: AwsCredentialIdentityProvider,
  signal: AbortSignal,
): Promise<string[]> {
  const client = new OrganizationsClient({
    region: settings.region,
    credentials,
    endpoint: settings.endpoints?.organizations,
  });
  const ids: string[] = [];
  try {
    for await (const page of paginateListAccounts(
      { client },
      {},
      { abortSignal: signal },
    )) {
      for (const account of page.Accounts ?? []) {
        if (account.Id && account.Status === 'ACTIVE') ids.push(account.Id);
      }
    }
  } catch (e) {
    throw new Error(
      `Organizations ListAccounts failed, so no account was read: ${describeAwsError(
        e,
      )}`,
    );
  }
  return ids;
}

async function assumeRole(
  sts: STSClient,
  accountId: string,
  roleName: string,
  signal: AbortSignal,
): Promise<AwsCredentialIdentityProvider> {
  const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
  let answer;
  try {
    answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'backstage-nhi-discovery',
      }),
      { abortSignal: signal },
    );
  } catch (e) {
    throw new Error(`could not assume ${roleArn}: ${describeAwsError(e)}`);
  }
  const c = answer.Credentials!;
  const identity = {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
  };
  return async () => identity;
}
