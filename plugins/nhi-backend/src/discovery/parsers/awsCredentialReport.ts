import { parse } from 'csv-parse/sync';
import type {
  DiscoveredCredential,
  SourceFinding,
} from '@nhi-governance/plugin-nhi-common';
import { SourceParseError } from './SourceParseError';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput, textLines } from './stream';
import { withoutQuotedInput } from './values';
import { checkHeader, Row, SOURCE } from './awsCredentialReportRow';

export { AWS_CREDENTIAL_REPORT_COLUMNS } from './awsCredentialReportRow';

/** The root user's row; the root ARN ends in `:root`. */
export const ROOT_USER = '<root_account>';

/** The credential slots of a user: two access keys and two signing certificates. */
const SLOTS = [
  ['access_key_1', 'access-key', 'access key 1'],
  ['access_key_2', 'access-key', 'access key 2'],
  ['cert_1', 'signing-certificate', 'signing certificate 1'],
  ['cert_2', 'signing-certificate', 'signing certificate 2'],
] as const;

type Slot = (typeof SLOTS)[number][0];

const latestOf = (dates: Array<string | null | undefined>) =>
  dates
    .filter((d): d is string => !!d)
    .sort()
    .pop();

type KeySlot = 'access_key_1' | 'access_key_2';

/** When a key was last used: N/A is never (or no key), no_information is unknown. */
function keyUsage(row: Row, slot: KeySlot) {
  const lastUsed = row.date(`${slot}_last_used_date`);
  const region = row.optionalText(`${slot}_last_used_region`);
  const service = row.optionalText(`${slot}_last_used_service`);
  return {
    lastUsedAt: lastUsed ?? undefined,
    ...(lastUsed === undefined ? { usageUnknown: true } : {}),
    lastUsedRegion: region ?? undefined,
    lastUsedService: service ?? undefined,
  };
}

/**
 * Whether a slot holds a credential, and whether it works. An inactive slot holds one when it
 * has a date (or an unreadable one). An unreadable active flag with a date is read as active:
 * it is no proof that the key is off.
 */
function slotState(row: Row, slot: Slot) {
  const flag = row.flag(`${slot}_active`);
  const lastRotated = row.date(`${slot}_last_rotated`);
  if (flag === true) return { exists: true, active: true, lastRotated };
  if (flag === false) {
    return { exists: lastRotated !== null, active: false, lastRotated };
  }
  const exists = typeof lastRotated === 'string';
  return { exists, active: exists, lastRotated };
}

const rootFinding = (kind: string, label: string): SourceFinding => ({
  code: kind === 'access-key' ? 'root-access-key' : 'root-signing-certificate',
  severity: 'critical',
  detail: `The root user has an active ${label}: no policy can limit it. Delete it and use an IAM role instead.`,
});

/** When the root user was last used, by its password or a key (CIS AWS 1.7). */
function rootUse(
  passwordLastUsed: string | null | undefined,
  keyLastUsed: Array<string | undefined>,
): SourceFinding | undefined {
  const observedAt = latestOf([passwordLastUsed, ...keyLastUsed]);
  if (!observedAt) return undefined;
  const by = observedAt === passwordLastUsed ? 'its password' : 'an access key';
  return {
    code: 'root-account-used',
    severity: 'high',
    detail: `The root user was last used ${observedAt.slice(
      0,
      10,
    )}, with ${by} (CIS AWS 1.7).`,
    observedAt,
  };
}

const twoActiveKeys = (user: string): SourceFinding => ({
  code: 'multiple-active-keys',
  severity: 'medium',
  detail: `${user} has two active access keys (CIS AWS 1.13): keep one, and delete the other once nothing uses it.`,
});

function* credentialsOf(row: Row): Generator<DiscoveredCredential> {
  const user = row.text('user');
  const arn = row.text('arn');
  const userCreatedAt = row.date('user_creation_time');
  // Read though no credential is made of them, so that an odd cell anywhere is reported.
  row.flag('password_enabled');
  const passwordLastUsed = row.date('password_last_used');
  row.date('password_last_changed');
  row.date('password_next_rotation');
  row.flag('mfa_active');
  const slots = SLOTS.map(([slot, kind, label]) => ({
    slot,
    kind,
    label,
    ...slotState(row, slot),
    usage: kind === 'access-key' ? keyUsage(row, slot as KeySlot) : undefined,
  }));
  if (!user || !arn) {
    row.unread(
      user ? 'arn' : 'user',
      "names no user: the row's credentials are left out",
    );
    return;
  }
  const keys = slots.filter(s => s.kind === 'access-key');
  const twoActive = keys.every(k => k.active) ? twoActiveKeys(user) : undefined;
  const rootUsed =
    user === ROOT_USER
      ? rootUse(
          passwordLastUsed,
          keys.map(k => k.usage?.lastUsedAt),
        )
      : undefined;

  for (const {
    slot,
    kind,
    label,
    exists,
    active,
    lastRotated,
    usage,
  } of slots) {
    if (!exists) continue;
    // A key is created, never changed: its last rotation is its creation. It cannot be older
    // than its user, though the report's clock may say so by a few minutes.
    const createdAt = lastRotated
      ? latestOf([lastRotated, userCreatedAt])
      : undefined;
    const findings = [
      user === ROOT_USER && active ? rootFinding(kind, label) : undefined,
      kind === 'access-key' && active ? twoActive : undefined,
      rootUsed,
    ].filter((f): f is SourceFinding => !!f);
    yield {
      provider: 'aws',
      // The report lists no access key ids: the slot names the key until it is replaced.
      externalId: `${arn}#${slot}`,
      kind,
      principal: arn,
      displayName: `${user} ${label}`,
      active,
      ...(createdAt ? { createdAt } : {}),
      lastRotatedAt: lastRotated ?? undefined,
      // The report has no usage column for signing certificates.
      ...(usage ?? { usageUnknown: true }),
      findings: findings.length ? findings : undefined,
    };
  }
}

/** The fields of one line. IAM names may hold commas, so AWS quotes some; no field holds a line break. */
function fieldsOf(line: string, row: number): string[] {
  if (!line.includes('"')) return line.split(',');
  try {
    return parse(line, { relax_column_count: true })[0] ?? [];
  } catch (error) {
    throw new SourceParseError(
      SOURCE,
      `row ${row}`,
      `is not valid CSV (${withoutQuotedInput((error as Error).message)})`,
    );
  }
}

/**
 * Reads an IAM credential report (the CSV of `aws iam get-credential-report`, base64
 * decoded): one credential per access key and signing certificate that is active or was
 * ever issued. Rows stream through one at a time, so a report of any length reads in flat
 * memory. Rows are numbered as a spreadsheet shows them, the header being row 1.
 *
 * A cell it cannot read is unknown for that field and reported to `warn`; only a wrong
 * header, a row with the wrong number of columns (a truncated file) or a line that is not
 * CSV fails the read.
 */
export async function* parseAwsCredentialReport(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<DiscoveredCredential> {
  let header: string[] | undefined;
  let index: Record<string, number> = {};
  for await (const { line, number } of textLines(input)) {
    if (!line) continue;
    const record = fieldsOf(
      number === 1 ? line.replace(/^\uFEFF/, '') : line,
      number,
    );
    if (!header) {
      checkHeader(record);
      header = record;
      index = Object.fromEntries(header.map((column, i) => [column, i]));
      continue;
    }
    if (record.length !== header.length) {
      throw new SourceParseError(
        SOURCE,
        `row ${number}`,
        `has ${record.length} columns, expected ${header.length}: ${
          record.length < header.length
            ? 'the row is cut short or the file is truncated'
            : 'a value holds an unquoted comma'
        }`,
      );
    }
    yield* credentialsOf(new Row(record, index, number, warn));
  }
  if (!header) {
    throw new SourceParseError(
      SOURCE,
      'row 1',
      'is empty: expected the credential report header',
    );
  }
}
