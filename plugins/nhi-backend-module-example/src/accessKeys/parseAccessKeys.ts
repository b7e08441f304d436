import { createHash } from 'crypto';
import { createInterface } from 'readline';
import type { Readable } from 'stream';
import { DateTime } from 'luxon';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import { SourceParseError, WarnFn } from '@nhi-governance/plugin-nhi-node';
import { ACCESS_KEYS_FORMAT, accessKeysSettings } from './settings';

// IAM's own patterns for a user name and an access key id.
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

/** A value described by its type and length, never shown: a cell may hold a pasted secret. */
const describe = (v: unknown) =>
  typeof v === 'string' ? `a text of ${v.length} characters` : `a ${typeof v}`;

const fail = (where: string, reason: string) =>
  new SourceParseError(ACCESS_KEYS_FORMAT, where, reason);

/**
 * A stable id for the key that is not the key id itself: access key ids are not secret, but
 * secret scanners flag them, and the portal never needs more than to tell keys apart.
 */
const keyRef = (accessKeyId: string) =>
  createHash('sha256').update(accessKeyId).digest('hex').slice(0, 16);

/**
 * Reads the output of `aws iam list-access-keys --user-name <user> --output json`, one
 * response per line (JSON Lines: pipe each through `jq -c .`), and yields each access key. A
 * line that is not such a response, or a key without its user or id, fails the read; an
 * unreadable status or date is reported to `warn` and read as unknown.
 */
export async function* parseAccessKeys(
  input: Readable,
  warn: WarnFn,
  rawSettings: Record<string, unknown>,
): AsyncIterable<DiscoveredCredential> {
  const settings = accessKeysSettings.safeParse(rawSettings);
  if (!settings.success) {
    const issue = settings.error.issues[0];
    throw fail(`settings.${issue.path.join('.')}`, issue.message);
  }
  const { accountId, userPath } = settings.data;
  let line = 0;
  let responses = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    let response: any;
    try {
      response = JSON.parse(text);
    } catch {
      throw fail(
        `line ${line}`,
        'is not JSON: each line must be one list-access-keys response (aws iam list-access-keys --output json | jq -c .)',
      );
    }
    if (!Array.isArray(response?.AccessKeyMetadata)) {
      throw fail(
        `line ${line}`,
        'has no AccessKeyMetadata list: not the output of aws iam list-access-keys',
      );
    }
    responses++;
    for (const [i, key] of response.AccessKeyMetadata.entries()) {
      const where = `line ${line} AccessKeyMetadata[${i}]`;
      if (typeof key?.UserName !== 'string' || !USER_NAME.test(key.UserName)) {
        throw fail(
          `${where}.UserName`,
          `must be an IAM user name, got ${describe(key?.UserName)}`,
        );
      }
      if (
        typeof key.AccessKeyId !== 'string' ||
        !ACCESS_KEY_ID.test(key.AccessKeyId)
      ) {
        throw fail(
          `${where}.AccessKeyId`,
          `must be an access key id, got ${describe(key.AccessKeyId)}`,
        );
      }
      const principal = `arn:aws:iam::${accountId}:user${userPath}${key.UserName}`;
      yield {
        provider: 'aws',
        externalId: `${principal}#${keyRef(key.AccessKeyId)}`,
        kind: 'access-key',
        principal,
        displayName: `${key.UserName} key …${key.AccessKeyId.slice(-4)}`,
        active: readStatus(key.Status, where, warn),
        ...readCreated(key.CreateDate, where, warn),
      };
    }
  }
  if (!responses) {
    throw fail(
      'line 1',
      'the file holds no list-access-keys response: empty or cut short',
    );
  }
}

/** A status IAM does not document is read as active: an unknown key is not assumed gone. */
function readStatus(status: unknown, where: string, warn: WarnFn): boolean {
  if (status === 'Active') return true;
  if (status === 'Inactive') return false;
  warn({
    location: where,
    field: 'Status',
    reason: `must be Active or Inactive, got ${describe(
      status,
    )}; read as active`,
  });
  return true;
}

function readCreated(
  value: unknown,
  where: string,
  warn: WarnFn,
): { createdAt?: string } {
  const date =
    typeof value === 'string'
      ? DateTime.fromISO(value, { zone: 'utc' })
      : undefined;
  if (date?.isValid) return { createdAt: date.toUTC().toISO()! };
  warn({
    location: where,
    field: 'CreateDate',
    reason: `must be an ISO 8601 time, got ${describe(value)}; read as unknown`,
  });
  return {};
}
