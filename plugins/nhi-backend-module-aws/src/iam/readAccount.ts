import { Readable } from 'stream';
import { setTimeout as sleep } from 'timers/promises';
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  paginateListUserTags,
} from '@aws-sdk/client-iam';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import type { ConnectorReadOptions } from '@nhi-governance/plugin-nhi-node';
import type { AwsAccount } from './accounts';
import type { AwsIamSettings } from './settings';

/** The built-in file format the credential report is, whether downloaded or fetched. */
const CREDENTIAL_REPORT = 'aws-credential-report';

export interface ReadAccountOptions {
  settings: AwsIamSettings;
  read: Pick<ConnectorReadOptions, 'parseAs' | 'signal'>;
  /** How long to wait between polls while AWS generates the report. */
  pollMs: number;
}

/**
 * One account's credentials: its IAM credential report (generated, then fetched), read by the
 * same parser as a downloaded report, each IAM user's owner taken from its tags.
 */
export async function* readAccount(
  account: AwsAccount,
  { settings, read, pollMs }: ReadAccountOptions,
): AsyncGenerator<DiscoveredCredential> {
  const iam = new IAMClient({
    region: settings.region,
    credentials: await account.credentials(),
    endpoint: settings.endpoints?.iam,
  });
  const report = await credentialReport(iam, read.signal, pollMs);
  const owners = new Map<string, Promise<string | undefined>>();
  for await (const credential of read.parseAs(
    'credentials',
    CREDENTIAL_REPORT,
    Readable.from([report]),
  )) {
    const user = userNameOf(credential.principal);
    let owner: Promise<string | undefined> | undefined;
    if (user) {
      owner = owners.get(user) ?? ownerTag(iam, user, settings, read.signal);
      owners.set(user, owner);
    }
    const ownerHint = credential.ownerHint ?? (await owner);
    yield {
      ...credential,
      ...(ownerHint ? { ownerHint } : {}),
      scope: account.id,
    };
  }
}

/** GenerateCredentialReport until AWS says it is complete, then the report's CSV. */
async function credentialReport(
  iam: IAMClient,
  signal: AbortSignal,
  pollMs: number,
): Promise<Buffer> {
  for (;;) {
    const { State } = await iam.send(new GenerateCredentialReportCommand({}), {
      abortSignal: signal,
    });
    if (State === 'COMPLETE') break;
    await sleep(pollMs, undefined, { signal });
  }
  const { Content } = await iam.send(new GetCredentialReportCommand({}), {
    abortSignal: signal,
  });
  if (!Content) throw new Error('GetCredentialReport returned no content');
  return Buffer.from(Content);
}

/** arn:aws:iam::<account>:user/<path>/<name> → name; the root user has no tags to read. */
function userNameOf(principal: string): string | undefined {
  const match = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(
    principal,
  );
  return match?.[1];
}

async function ownerTag(
  iam: IAMClient,
  userName: string,
  settings: AwsIamSettings,
  signal: AbortSignal,
): Promise<string | undefined> {
  const tags = new Map<string, string>();
  for await (const page of paginateListUserTags(
    { client: iam },
    { UserName: userName },
    { abortSignal: signal },
  )) {
    for (const tag of page.Tags ?? []) {
      if (tag.Key && tag.Value) tags.set(tag.Key.toLowerCase(), tag.Value);
    }
  }
  return settings.ownerTags
    .map(key => tags.get(key.toLowerCase()))
    .find(Boolean);
}
