import http from 'http';
import { createHash, randomBytes, randomUUID } from 'crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  AUTH_PATTERN,
  NodeSha256,
  PAYLOAD_HASH_MISMATCH,
  header,
  listenOnLoopback,
  payloadHashMatches,
  signatureMatches,
} from './sigv4';

/**
 * A local stand-in for the three AWS services the AWS connector talks to: IAM (credential report,
 * users and their tags), STS (AssumeRole, GetCallerIdentity) and Organizations (ListAccounts).
 *
 * It is a real HTTP server on 127.0.0.1 that the real AWS SDK v3 clients reach through their
 * `endpoint` option. It answers in the wire formats AWS documents (the query protocol's XML for
 * IAM and STS, JSON 1.1 for Organizations), checks every request's SigV4 signature with the
 * secret of the key that signed it, and tells the services apart by the service name in the
 * signature's credential scope, exactly as the SDK signs for `iam`, `sts` and `organizations`.
 *
 * Pagination is forced: IAM list calls return at most `iamPageSize` (default 2) items per page and
 * Organizations at most `organizationsPageSize` (default 1), whatever MaxItems/MaxResults asks
 * for. AWS documents both services as free to return fewer items than asked for, so a connector
 * that only reads the first page is wrong against AWS too.
 */

export interface FakeAccount {
  /** 12 digits */
  id: string;
  /** IAM users: name -> tags. Each gets a credential report row. */
  users: Record<string, Record<string, string>>;
  /** Organizations account name */
  name?: string;
  /**
   * Cells of a user's credential report row to replace (by column name), e.g.
   * `{ ci: { access_key_1_last_used_date: 'N/A' } }`. The `<root_account>` row can be changed too.
   */
  reportRows?: Record<string, Partial<Record<CredentialReportColumn, string>>>;
}

export interface FakeAwsOptions {
  /** The caller's own (management) account; the base key acts on it. */
  management: FakeAccount;
  /** Member accounts, reachable by sts:AssumeRole into arn:aws:iam::<id>:role/<any name>. */
  members: FakeAccount[];
  /** The base access key the SDK is given (static credentials). */
  baseKey: { accessKeyId: string; secretAccessKey: string };
  /** The IAM user the base key belongs to (in the management account). Default `nhi-discovery`. */
  baseUserName?: string;
  /** False: the management account is in no organization (ListAccounts answers AWSOrganizationsNotInUseException). Default true. */
  organizations?: boolean;
  /** Most items an IAM list call returns per page. Default 2. */
  iamPageSize?: number;
  /** Most accounts ListAccounts returns per page. Default 1. */
  organizationsPageSize?: number;
}

export interface RecordedRequest {
  /** `iam`, `sts` or `organizations` (from the signature's scope, or guessed if unsigned) */
  service: string;
  /** e.g. `GetCredentialReport`, `AssumeRole`, `ListAccounts` */
  action: string;
  /** The account the caller's key acts as; '' when the key is unknown or missing. */
  accountId: string;
  /** Request parameters other than Action and Version (JSON values stringified). */
  params: Record<string, string>;
  /** HTTP status answered */
  status: number;
  /** The access key id that signed the request ('' if unsigned). */
  accessKeyId: string;
}

export interface IssuedKey {
  accessKeyId: string;
  accountId: string;
  roleArn: string;
  sessionName: string;
}

export interface FakeAws {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** every request, in order */
  requests: RecordedRequest[];
  /** Temporary keys AssumeRole has issued, in order. */
  issuedKeys: IssuedKey[];
  /** Answer the next `times` calls of `action` with AWS's throttling error (IAM/STS: HTTP 400 <Code>Throttling</Code> "Rate exceeded"; Organizations: 400 {"__type":"TooManyRequestsException"} ). */
  throttle(action: string, times: number): void;
  /** AssumeRole into this account answers 403 AccessDenied ("User: ... is not authorized to perform: sts:AssumeRole on resource: ..."). */
  denyAssumeRole(accountId: string): void;
  /**
   * Requests signed with this access key id answer 403 InvalidClientTokenId "The security token
   * included in the request is invalid." (a revoked key). Organizations, a JSON service, answers
   * 400 UnrecognizedClientException with the same message, as AWS does.
   */
  revokeKey(accessKeyId: string): void;
  /** Make the next `times` IAM calls for this account (default: all of them) answer 500 InternalFailure. */
  failIam(accountId: string, times?: number): void;
  restoreIam(accountId: string): void;
  /** Every temporary key issued so far answers 403 ExpiredToken from now on. */
  expireTemporaryKeys(): void;
  close(): Promise<void>;
}

export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

export type CredentialReportColumn = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const DAY = 24 * 60 * 60 * 1000;
const BASE_TIME = Date.parse('2023-03-01T09:00:00Z');

/** `2023-03-01T09:00:00+00:00`, the credential report's time format. */
function reportTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** `2023-03-01T09:00:00Z`, the XML APIs' time format. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function stableId(prefix: string, seed: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(seed).digest();
  let out = prefix;
  for (let i = 0; out.length < prefix.length + length; i++) {
    out += alphabet[digest[i % digest.length] % alphabet.length];
  }
  return out;
}

/** The access key id the fake reports for a user (ListAccessKeys, credential report dates). */
export function fakeAccessKeyId(accountId: string, userName: string): string {
  return stableId('AKIA', `key:${accountId}:${userName}`, 16);
}

/** The credential report CSV the fake serves for an account (without trailing newline). */
export function credentialReportCsv(account: FakeAccount): string {
  const rows: Array<Record<CredentialReportColumn, string>> = [];
  const root: Record<CredentialReportColumn, string> = {
    user: '<root_account>',
    arn: `arn:aws:iam::${account.id}:root`,
    user_creation_time: reportTime(BASE_TIME - 400 * DAY),
    password_enabled: 'not_supported',
    password_last_used: reportTime(BASE_TIME - 30 * DAY),
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: 'true',
    access_key_1_active: 'false',
    access_key_1_last_rotated: 'N/A',
    access_key_1_last_used_date: 'N/A',
    access_key_1_last_used_region: 'N/A',
    access_key_1_last_used_service: 'N/A',
    access_key_2_active: 'false',
    access_key_2_last_rotated: 'N/A',
    access_key_2_last_used_date: 'N/A',
    access_key_2_last_used_region: 'N/A',
    access_key_2_last_used_service: 'N/A',
    cert_1_active: 'false',
    cert_1_last_rotated: 'N/A',
    cert_2_active: 'false',
    cert_2_last_rotated: 'N/A',
  };
  rows.push({ ...root, ...account.reportRows?.['<root_account>'] });
  Object.keys(account.users).forEach((name, i) => {
    const created = userCreated(i);
    rows.push({
      ...root,
      user: name,
      arn: `arn:aws:iam::${account.id}:user/${name}`,
      user_creation_time: reportTime(created),
      password_enabled: 'false',
      password_last_used: 'N/A',
      password_last_changed: 'N/A',
      password_next_rotation: 'N/A',
      mfa_active: 'false',
      access_key_1_active: 'true',
      access_key_1_last_rotated: reportTime(keyCreated(i)),
      access_key_1_last_used_date: reportTime(BASE_TIME + (200 + i) * DAY),
      access_key_1_last_used_region: 'us-east-1',
      access_key_1_last_used_service: i % 2 === 0 ? 'iam' : 's3',
      ...account.reportRows?.[name],
    });
  });
  return [
    CREDENTIAL_REPORT_COLUMNS.join(','),
    ...rows.map(row => CREDENTIAL_REPORT_COLUMNS.map(c => row[c]).join(',')),
  ].join('\n');
}

function userCreated(index: number): number {
  return BASE_TIME + index * DAY;
}

function keyCreated(index: number): number {
  return userCreated(index) + 60 * 60 * 1000;
}

function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function el(name: string, value: string | number | boolean): string {
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

interface Principal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  accountId: string;
  arn: string;
  userId: string;
  /** set for the base key: the IAM user it belongs to */
  userName?: string;
  expired?: boolean;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

const MESSAGES = {
  invalidToken: 'The security token included in the request is invalid.',
  signature:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  missing: 'Request is missing Authentication Token',
  expired: 'The security token included in the request is expired',
  throttled: 'Rate exceeded',
  internal:
    'The request processing has failed because of an unknown error, exception or failure.',
};

function decodeMarker(marker: string | undefined): number {
  if (marker === undefined) return 0;
  const match = /^m:(\d+)$/.exec(Buffer.from(marker, 'base64').toString());
  if (!match) {
    throw new AwsError(400, 'ValidationError', 'Invalid value for Marker');
  }
  return Number(match[1]);
}

function encodeMarker(offset: number): string {
  return Buffer.from(`m:${offset}`).toString('base64');
}

function pageSize(
  requested: string | number | undefined,
  cap: number,
  max: number,
  name: string,
  invalid: (message: string) => AwsError,
): number {
  if (requested === undefined) return cap;
  const n = Number(requested);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw invalid(
      `1 validation error detected: Value '${requested}' at '${name}' failed to satisfy constraint: Member must have value between 1 and ${max}`,
    );
  }
  return Math.min(n, cap);
}

/** Starts the fake on 127.0.0.1 at a free port. Close it with `close()`. */
export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const management = options.management;
  const accounts = new Map<string, FakeAccount>();
  for (const account of [management, ...options.members]) {
    if (!/^\d{12}$/.test(account.id)) {
      throw new Error(`FakeAccount id must be 12 digits, got ${account.id}`);
    }
    accounts.set(account.id, account);
  }
  const iamPageSize = options.iamPageSize ?? 2;
  const orgPageSize = options.organizationsPageSize ?? 1;
  const orgEnabled = options.organizations ?? true;
  const orgId = `o-${stableId('', `org:${management.id}`, 10).toLowerCase()}`;
  const baseUserName = options.baseUserName ?? 'nhi-discovery';

  const principals = new Map<string, Principal>();
  principals.set(options.baseKey.accessKeyId, {
    ...options.baseKey,
    accountId: management.id,
    arn: `arn:aws:iam::${management.id}:user/${baseUserName}`,
    userId: stableId('AIDA', `user:${management.id}:${baseUserName}`, 17),
    userName: baseUserName,
  });

  const requests: RecordedRequest[] = [];
  const issuedKeys: IssuedKey[] = [];
  const throttles = new Map<string, number>();
  const deniedAssume = new Set<string>();
  const revoked = new Set<string>();
  const iamFailures = new Map<string, number>();
  const reports = new Map<
    string,
    { state: 'STARTED' | 'COMPLETE'; generatedAt?: number }
  >();

  // ---- authentication ---------------------------------------------------------------------

  async function authenticate(
    req: http.IncomingMessage,
    url: URL,
    body: Buffer,
  ): Promise<{ principal: Principal; service: string }> {
    const authorization = header(req, 'authorization');
    if (!authorization) {
      throw new AwsError(403, 'MissingAuthenticationToken', MESSAGES.missing);
    }
    const match = AUTH_PATTERN.exec(authorization);
    if (!match) {
      throw new AwsError(
        400,
        'IncompleteSignature',
        `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${authorization}`,
      );
    }
    const [, accessKeyId, , region, service, signedHeaderList, signature] =
      match;
    const principal = principals.get(accessKeyId);
    if (!principal || revoked.has(accessKeyId)) {
      throw new AwsError(403, 'InvalidClientTokenId', MESSAGES.invalidToken);
    }
    const token = header(req, 'x-amz-security-token');
    if (principal.sessionToken !== undefined) {
      if (token !== principal.sessionToken) {
        throw new AwsError(403, 'InvalidClientTokenId', MESSAGES.invalidToken);
      }
      if (principal.expired) {
        throw new AwsError(403, 'ExpiredToken', MESSAGES.expired);
      }
    } else if (token !== undefined) {
      throw new AwsError(403, 'InvalidClientTokenId', MESSAGES.invalidToken);
    }

    const amzDate = header(req, 'x-amz-date') ?? '';
    const dateMatch = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(
      amzDate,
    );
    if (!dateMatch) {
      throw new AwsError(
        400,
        'IncompleteSignature',
        'Authorization header requires existence of either a X-Amz-Date or a Date header.',
      );
    }
    const [, y, mo, d, h, mi, s] = dateMatch;
    const signingDate = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);

    const signedHeaders = signedHeaderList.split(';');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      const value = header(req, name);
      if (value === undefined) {
        throw new AwsError(403, 'SignatureDoesNotMatch', MESSAGES.signature);
      }
      headers[name] = value;
    }
    const contentSha = headers['x-amz-content-sha256'];
    if (contentSha !== undefined && !payloadHashMatches(contentSha, body)) {
      throw new AwsError(
        400,
        'XAmzContentSHA256Mismatch',
        PAYLOAD_HASH_MISMATCH,
      );
    }
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of url.searchParams) {
      const prior = query[key];
      if (prior === undefined) query[key] = value;
      else
        query[key] = Array.isArray(prior) ? [...prior, value] : [prior, value];
    }

    const signer = new SignatureV4({
      credentials: {
        accessKeyId,
        secretAccessKey: principal.secretAccessKey,
        sessionToken: principal.sessionToken,
      },
      region,
      service,
      sha256: NodeSha256,
      applyChecksum: false,
      uriEscapePath: true,
    });
    const signed = await signer.sign(
      {
        method: req.method ?? 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers,
        body,
      },
      {
        signingDate,
        signingRegion: region,
        signingService: service,
        signableHeaders: new Set(signedHeaders),
      },
    );
    if (
      !signatureMatches(
        signed.headers.authorization,
        signedHeaderList,
        signature,
      )
    ) {
      throw new AwsError(403, 'SignatureDoesNotMatch', MESSAGES.signature);
    }
    return { principal, service };
  }

  // ---- IAM ----------------------------------------------------------------------------------

  function iamUser(account: FakeAccount, name: string | undefined) {
    if (name === undefined) {
      throw new AwsError(
        400,
        'ValidationError',
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      );
    }
    const names = Object.keys(account.users);
    const index = names.indexOf(name);
    if (index < 0) {
      throw new AwsError(
        404,
        'NoSuchEntity',
        `The user with name ${name} cannot be found.`,
      );
    }
    return { name, index, tags: account.users[name] };
  }

  function userXml(account: FakeAccount, name: string, index: number) {
    return (
      el('Path', '/') +
      el('UserName', name) +
      el('UserId', stableId('AIDA', `user:${account.id}:${name}`, 17)) +
      el('Arn', `arn:aws:iam::${account.id}:user/${name}`) +
      el('CreateDate', isoSeconds(userCreated(index)))
    );
  }

  function iamPage(params: Record<string, string>, total: number) {
    const offset = decodeMarker(params.Marker);
    const size = pageSize(
      params.MaxItems,
      iamPageSize,
      1000,
      'maxItems',
      m => new AwsError(400, 'ValidationError', m),
    );
    const end = Math.min(offset + size, total);
    const truncated = end < total;
    return {
      offset,
      end,
      tail:
        el('IsTruncated', truncated) +
        (truncated ? el('Marker', encodeMarker(end)) : ''),
    };
  }

  function iam(
    action: string,
    params: Record<string, string>,
    principal: Principal,
  ): string {
    const account = accounts.get(principal.accountId)!;
    switch (action) {
      case 'GenerateCredentialReport': {
        const report = reports.get(account.id);
        if (!report) {
          reports.set(account.id, { state: 'STARTED' });
          return (
            el(
              'Description',
              'No report exists. Starting a new report generation task',
            ) + el('State', 'STARTED')
          );
        }
        if (report.state === 'STARTED') {
          report.state = 'COMPLETE';
          report.generatedAt = Date.now();
        }
        return el('State', 'COMPLETE');
      }
      case 'GetCredentialReport': {
        const report = reports.get(account.id);
        if (!report) {
          throw new AwsError(
            410,
            'ReportNotPresent',
            'Credential report not present. Use GenerateCredentialReport to generate a report.',
          );
        }
        if (report.state === 'STARTED') {
          // The report is ready for the next poll, as a real one soon would be.
          report.state = 'COMPLETE';
          report.generatedAt = Date.now();
          throw new AwsError(
            404,
            'ReportInProgress',
            'Report generation in progress. Try again later.',
          );
        }
        return (
          el(
            'Content',
            Buffer.from(credentialReportCsv(account)).toString('base64'),
          ) +
          el('ReportFormat', 'text/csv') +
          el('GeneratedTime', isoSeconds(report.generatedAt ?? Date.now()))
        );
      }
      case 'ListUserTags': {
        const user = iamUser(account, params.UserName);
        const tags = Object.entries(user.tags);
        const page = iamPage(params, tags.length);
        const members = tags
          .slice(page.offset, page.end)
          .map(
            ([key, value]) =>
              `<member>${el('Key', key)}${el('Value', value)}</member>`,
          )
          .join('');
        return `<Tags>${members}</Tags>${page.tail}`;
      }
      case 'ListUsers': {
        const names = Object.keys(account.users);
        const page = iamPage(params, names.length);
        const members = names
          .slice(page.offset, page.end)
          .map(
            (name, i) =>
              `<member>${userXml(account, name, page.offset + i)}</member>`,
          )
          .join('');
        return `<Users>${members}</Users>${page.tail}`;
      }
      case 'GetUser': {
        if (params.UserName === undefined && principal.userName) {
          return `<User>${el('Path', '/')}${el(
            'UserName',
            principal.userName,
          )}${el('UserId', principal.userId)}${el('Arn', principal.arn)}${el(
            'CreateDate',
            isoSeconds(BASE_TIME - 100 * DAY),
          )}</User>`;
        }
        if (params.UserName === undefined) {
          throw new AwsError(
            400,
            'ValidationError',
            'Must specify userName when calling with non-User credentials',
          );
        }
        const user = iamUser(account, params.UserName);
        const tags = Object.entries(user.tags)
          .map(([k, v]) => `<member>${el('Key', k)}${el('Value', v)}</member>`)
          .join('');
        return `<User>${userXml(account, user.name, user.index)}${
          tags ? `<Tags>${tags}</Tags>` : ''
        }</User>`;
      }
      case 'ListAccessKeys': {
        const user = iamUser(account, params.UserName ?? principal.userName);
        const key = [
          el('UserName', user.name),
          el('AccessKeyId', fakeAccessKeyId(account.id, user.name)),
          el('Status', 'Active'),
          el('CreateDate', isoSeconds(keyCreated(user.index))),
        ].join('');
        return [
          `<AccessKeyMetadata><member>${key}</member></AccessKeyMetadata>`,
          el('IsTruncated', false),
        ].join('');
      }
      case 'ListAccountAliases':
        return `<AccountAliases></AccountAliases>${el('IsTruncated', false)}`;
      default:
        throw new AwsError(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version 2010-05-08`,
        );
    }
  }

  // ---- STS ----------------------------------------------------------------------------------

  function sts(
    action: string,
    params: Record<string, string>,
    principal: Principal,
  ): string {
    switch (action) {
      case 'GetCallerIdentity':
        return (
          el('Arn', principal.arn) +
          el('UserId', principal.userId) +
          el('Account', principal.accountId)
        );
      case 'AssumeRole': {
        const roleArn = params.RoleArn;
        const sessionName = params.RoleSessionName;
        if (!roleArn || !sessionName) {
          throw new AwsError(
            400,
            'ValidationError',
            `1 validation error detected: Value null at '${
              roleArn ? 'roleSessionName' : 'roleArn'
            }' failed to satisfy constraint: Member must not be null`,
          );
        }
        const arnMatch = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
          roleArn,
        );
        if (!arnMatch) {
          throw new AwsError(400, 'ValidationError', `${roleArn} is invalid`);
        }
        const [, targetAccount, roleName] = arnMatch;
        if (!accounts.has(targetAccount) || deniedAssume.has(targetAccount)) {
          throw new AwsError(
            403,
            'AccessDenied',
            `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          );
        }
        const duration = Number(params.DurationSeconds ?? 3600);
        if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
          throw new AwsError(
            400,
            'ValidationError',
            `1 validation error detected: Value '${params.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
          );
        }
        const accessKeyId = `ASIA${randomBytes(10)
          .toString('hex')
          .toUpperCase()
          .slice(0, 16)}`;
        const secretAccessKey = randomBytes(30).toString('base64');
        const sessionToken = randomBytes(96).toString('base64');
        const roleId = stableId('AROA', `role:${roleArn}`, 17);
        const assumedArn = `arn:aws:sts::${targetAccount}:assumed-role/${roleName}/${sessionName}`;
        principals.set(accessKeyId, {
          accessKeyId,
          secretAccessKey,
          sessionToken,
          accountId: targetAccount,
          arn: assumedArn,
          userId: `${roleId}:${sessionName}`,
        });
        issuedKeys.push({
          accessKeyId,
          accountId: targetAccount,
          roleArn,
          sessionName,
        });
        const credentials = [
          el('AccessKeyId', accessKeyId),
          el('SecretAccessKey', secretAccessKey),
          el('SessionToken', sessionToken),
          el('Expiration', isoSeconds(Date.now() + duration * 1000)),
        ].join('');
        const assumedRoleUser = [
          el('AssumedRoleId', `${roleId}:${sessionName}`),
          el('Arn', assumedArn),
        ].join('');
        return [
          `<Credentials>${credentials}</Credentials>`,
          `<AssumedRoleUser>${assumedRoleUser}</AssumedRoleUser>`,
          el('PackedPolicySize', 0),
        ].join('');
      }
      default:
        throw new AwsError(
          400,
          'InvalidAction',
          `Could not find operation ${action} for version 2011-06-15`,
        );
    }
  }

  // ---- Organizations ------------------------------------------------------------------------

  function organizations(
    action: string,
    input: Record<string, unknown>,
    principal: Principal,
  ): unknown {
    if (action !== 'ListAccounts') {
      throw new AwsError(
        400,
        'UnknownOperationException',
        `Unknown operation ${action}`,
      );
    }
    if (!orgEnabled) {
      throw new AwsError(
        400,
        'AWSOrganizationsNotInUseException',
        'Your account is not a member of an organization.',
      );
    }
    if (principal.accountId !== management.id) {
      throw new AwsError(
        400,
        'AccessDeniedException',
        "You don't have permissions to access this resource.",
      );
    }
    const all = [management, ...options.members];
    const invalid = (message: string) =>
      new AwsError(400, 'InvalidInputException', message);
    let offset = 0;
    if (input.NextToken !== undefined) {
      const m = /^t:(\d+)$/.exec(
        Buffer.from(String(input.NextToken), 'base64').toString(),
      );
      if (!m) throw invalid('You specified an invalid value for nextToken.');
      offset = Number(m[1]);
    }
    const size = pageSize(
      input.MaxResults as number | undefined,
      orgPageSize,
      20,
      'maxResults',
      invalid,
    );
    const end = Math.min(offset + size, all.length);
    return {
      Accounts: all.slice(offset, end).map((account, i) => {
        const isManagement = account.id === management.id;
        return {
          Id: account.id,
          Arn: `arn:aws:organizations::${management.id}:account/${orgId}/${account.id}`,
          Email: `aws+${account.id}@example.com`,
          Name: account.name ?? `account-${account.id}`,
          Status: 'ACTIVE',
          State: 'ACTIVE',
          JoinedMethod: isManagement ? 'INVITED' : 'CREATED',
          JoinedTimestamp: (BASE_TIME + (offset + i) * DAY) / 1000 + 0.417,
        };
      }),
      ...(end < all.length
        ? { NextToken: Buffer.from(`t:${end}`).toString('base64') }
        : {}),
    };
  }

  // ---- transport ----------------------------------------------------------------------------

  function xmlAnswer(
    service: string,
    action: string,
    result: string,
    requestId: string,
  ): Answer {
    const ns = service === 'sts' ? STS_NS : IAM_NS;
    return {
      status: 200,
      contentType: 'text/xml',
      body: `<${action}Response xmlns="${ns}">\n  <${action}Result>${result}</${action}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    };
  }

  function errorAnswer(
    service: string,
    error: AwsError,
    requestId: string,
  ): Answer {
    if (service === 'organizations') {
      // JSON services name auth failures differently from the query services.
      const jsonCodes: Record<string, [number, string]> = {
        InvalidClientTokenId: [400, 'UnrecognizedClientException'],
        SignatureDoesNotMatch: [400, 'InvalidSignatureException'],
        Throttling: [400, 'TooManyRequestsException'],
        InternalFailure: [500, 'ServiceException'],
        ExpiredToken: [400, 'ExpiredTokenException'],
        MissingAuthenticationToken: [
          400,
          'MissingAuthenticationTokenException',
        ],
      };
      const [status, code] = jsonCodes[error.code] ?? [
        error.status,
        error.code,
      ];
      return {
        status,
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({
          __type: code,
          Message: error.message,
          ...(code === 'TooManyRequestsException'
            ? { Type: 'AWS_ORGANIZATIONS' }
            : {}),
        }),
      };
    }
    const ns = service === 'sts' ? STS_NS : IAM_NS;
    return {
      status: error.status,
      contentType: 'text/xml',
      body: `<ErrorResponse xmlns="${ns}">\n  <Error>\n    <Type>${
        error.type
      }</Type>\n    ${el('Code', error.code)}\n    ${el(
        'Message',
        error.message,
      )}\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    };
  }

  function consume(counter: Map<string, number>, key: string): boolean {
    const left = counter.get(key);
    if (left === undefined || left <= 0) return false;
    counter.set(key, left - 1);
    return true;
  }

  async function handle(
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ answer: Answer; record: RecordedRequest }> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'x'}`);
    const requestId = randomUUID();
    const target = header(req, 'x-amz-target');
    const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(
      header(req, 'authorization') ?? '',
    );
    const record: RecordedRequest = {
      service: scope?.[1] ?? (target ? 'organizations' : 'iam'),
      action: '',
      accountId: '',
      params: {},
      status: 0,
      accessKeyId:
        /Credential=([^/]+)\//.exec(header(req, 'authorization') ?? '')?.[1] ??
        '',
    };

    let json: Record<string, unknown> = {};
    if (record.service === 'organizations') {
      record.action = target?.split('.').pop() ?? '';
      try {
        json = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        json = {};
      }
      for (const [k, v] of Object.entries(json)) {
        record.params[k] = typeof v === 'string' ? v : JSON.stringify(v);
      }
    } else {
      const form = new URLSearchParams(url.search);
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) {
        form.append(k, v);
      }
      for (const [k, v] of form) {
        if (k === 'Action') record.action = v;
        else if (k !== 'Version' && !k.startsWith('X-Amz-')) {
          record.params[k] = v;
        }
      }
      if (!scope && form.get('Version') === '2011-06-15') {
        record.service = 'sts';
      }
    }

    try {
      const { principal, service } = await authenticate(req, url, body);
      record.accountId = principal.accountId;
      if (consume(throttles, record.action)) {
        throw new AwsError(400, 'Throttling', MESSAGES.throttled);
      }
      let answer: Answer;
      if (service === 'iam') {
        if (consume(iamFailures, principal.accountId)) {
          throw new AwsError(
            500,
            'InternalFailure',
            MESSAGES.internal,
            'Receiver',
          );
        }
        answer = xmlAnswer(
          service,
          record.action,
          iam(record.action, record.params, principal),
          requestId,
        );
      } else if (service === 'sts') {
        answer = xmlAnswer(
          service,
          record.action,
          sts(record.action, record.params, principal),
          requestId,
        );
      } else if (service === 'organizations') {
        answer = {
          status: 200,
          contentType: 'application/x-amz-json-1.1',
          body: JSON.stringify(organizations(record.action, json, principal)),
        };
      } else {
        throw new AwsError(
          400,
          'UnknownService',
          `The fake serves iam, sts and organizations, not ${service}`,
        );
      }
      record.status = answer.status;
      return { answer, record };
    } catch (e) {
      const error =
        e instanceof AwsError
          ? e
          : new AwsError(500, 'InternalFailure', String(e), 'Receiver');
      const answer = errorAnswer(record.service, error, requestId);
      record.status = answer.status;
      return { answer, record };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, Buffer.concat(chunks)).then(
        ({ answer, record }) => {
          requests.push(record);
          res.writeHead(answer.status, {
            'content-type': answer.contentType,
            'content-length': Buffer.byteLength(answer.body),
            'x-amzn-requestid': randomUUID(),
          });
          res.end(answer.body);
        },
        error => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
  });

  const endpoint = await listenOnLoopback(server);

  return {
    endpoint,
    requests,
    issuedKeys,
    throttle(action, times) {
      throttles.set(action, (throttles.get(action) ?? 0) + times);
    },
    denyAssumeRole(accountId) {
      deniedAssume.add(accountId);
    },
    revokeKey(accessKeyId) {
      revoked.add(accessKeyId);
    },
    failIam(accountId, times = Infinity) {
      iamFailures.set(accountId, times);
    },
    restoreIam(accountId) {
      iamFailures.delete(accountId);
    },
    expireTemporaryKeys() {
      for (const principal of principals.values()) {
        if (principal.sessionToken !== undefined) principal.expired = true;
      }
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
