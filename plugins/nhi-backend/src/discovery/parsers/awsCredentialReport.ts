import { parse } from 'csv-parse/sync';
import type {
  DiscoveredCredential,
  SourceFinding,
} from '@nhi-governance/plugin-nhi-common';
import { SourceParseError } from './SourceParseError';
import { SourceInput, textLines } from './stream';
import { quote, toIsoUtc } from './values';

const SOURCE = 'aws-credential-report';

const KEY_COLUMNS = (n: 1 | 2) =>
  [
    `access_key_${n}_active`,
    `access_key_${n}_last_rotated`,
    `access_key_${n}_last_used_date`,
    `access_key_${n}_last_used_region`,
    `access_key_${n}_last_used_service`,
  ] as const;

const CERT_COLUMNS = (n: 1 | 2) =>
  [`cert_${n}_active`, `cert_${n}_last_rotated`] as const;

/** The columns of `aws iam get-credential-report`, in the order AWS writes them. */
export const AWS_CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  ...KEY_COLUMNS(1),
  ...KEY_COLUMNS(2),
  ...CERT_COLUMNS(1),
  ...CERT_COLUMNS(2),
] as const;

type Column = (typeof AWS_CREDENTIAL_REPORT_COLUMNS)[number];

/**
 * The words AWS writes instead of a date, per column: N/A where there is nothing (no
 * password, a key never used), no_information where IAM did not track it yet (passwords
 * last used before October 2014), not_supported for the root user's password fields.
 */
const NO_DATE: Partial<Record<Column, readonly string[]>> = {
  password_last_used: ['N/A', 'no_information'],
  password_last_changed: ['N/A', 'not_supported'],
  password_next_rotation: ['N/A', 'not_supported'],
};

const ROOT_USER = '<root_account>';

/** One row, read column by column; every value is checked, used or not. */
class Row {
  constructor(
    private readonly record: string[],
    private readonly index: Record<string, number>,
    private readonly row: number,
  ) {}

  private value(column: Column): string {
    return this.record[this.index[column]];
  }

  private fail(column: Column, expected: string): never {
    throw new SourceParseError(
      SOURCE,
      `row ${this.row}`,
      `${column} ${quote(this.value(column))} is not ${expected}`,
    );
  }

  text(column: Column): string {
    return this.value(column) || this.fail(column, 'set');
  }

  /** Free text, or undefined for N/A (a region or service of a key never used). */
  optionalText(column: Column): string | undefined {
    const value = this.text(column);
    return value === 'N/A' ? undefined : value;
  }

  flag(column: Column, allowed: readonly string[] = []): boolean | undefined {
    const value = this.value(column).toLowerCase();
    if (value === 'true' || value === 'false') return value === 'true';
    if (allowed.includes(value)) return undefined;
    return this.fail(column, ['true', 'false', ...allowed].join(', '));
  }

  date(column: Column): string | undefined {
    const special = NO_DATE[column] ?? ['N/A'];
    const value = this.value(column);
    if (special.includes(value)) return undefined;
    return (
      toIsoUtc(value) ??
      this.fail(
        column,
        `a date, ${special.slice(0, -1).join(', ')}${
          special.length > 1 ? ' or ' : ''
        }${special[special.length - 1]}`,
      )
    );
  }
}

function checkHeader(header: string[]): void {
  const missing = AWS_CREDENTIAL_REPORT_COLUMNS.filter(
    c => !header.includes(c),
  );
  const unknown = header.filter(
    c => !(AWS_CREDENTIAL_REPORT_COLUMNS as readonly string[]).includes(c),
  );
  const problems = [
    missing.length && `missing column ${missing.join(', ')}`,
    unknown.length && `unknown column ${unknown.map(c => quote(c)).join(', ')}`,
  ].filter(Boolean);
  if (problems.length) {
    throw new SourceParseError(
      SOURCE,
      'row 1',
      `${problems.join(
        '; ',
      )}: is this the output of aws iam get-credential-report?`,
    );
  }
}

/** The credential slots of a user: two access keys and two signing certificates. */
const SLOTS = [
  ['access_key_1', 'access-key', 'access key 1'],
  ['access_key_2', 'access-key', 'access key 2'],
  ['cert_1', 'signing-certificate', 'signing certificate 1'],
  ['cert_2', 'signing-certificate', 'signing certificate 2'],
] as const;

const rootFinding = (kind: string, label: string): SourceFinding => ({
  code: kind === 'access-key' ? 'root-access-key' : 'root-signing-certificate',
  severity: 'critical',
  detail: `The root user has an active ${label}: no policy can limit it. Delete it and use an IAM role instead.`,
});

function* credentialsOf(row: Row): Generator<DiscoveredCredential> {
  const user = row.text('user');
  const arn = row.text('arn');
  row.date('user_creation_time');
  row.flag('password_enabled', ['not_supported']);
  row.date('password_last_used');
  row.date('password_last_changed');
  row.date('password_next_rotation');
  row.flag('mfa_active');

  for (const [slot, kind, label] of SLOTS) {
    const active = row.flag(`${slot}_active`)!;
    const lastRotatedAt = row.date(`${slot}_last_rotated`);
    const usage =
      kind === 'access-key'
        ? {
            lastUsedAt: row.date(`${slot}_last_used_date`),
            lastUsedRegion: row.optionalText(`${slot}_last_used_region`),
            lastUsedService: row.optionalText(`${slot}_last_used_service`),
          }
        : {};
    if (!active && !lastRotatedAt) continue;
    yield {
      provider: 'aws',
      // The report lists no access key ids: the slot names the key until it is replaced.
      externalId: `${arn}#${slot}`,
      kind,
      principal: arn,
      displayName: `${user} ${label}`,
      active,
      lastRotatedAt,
      ...usage,
      findings:
        user === ROOT_USER && active ? [rootFinding(kind, label)] : undefined,
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
      `is not valid CSV (${(error as Error).message})`,
    );
  }
}

/**
 * Reads an IAM credential report (the CSV of `aws iam get-credential-report`, base64
 * decoded): one credential per access key and signing certificate that is active or was
 * ever issued. Rows stream through one at a time, so a report of any length reads in flat
 * memory. Rows are numbered as a spreadsheet shows them, the header being row 1.
 */
export async function* parseAwsCredentialReport(
  input: SourceInput,
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
    yield* credentialsOf(new Row(record, index, number));
  }
  if (!header) {
    throw new SourceParseError(
      SOURCE,
      'row 1',
      'is empty: expected the credential report header',
    );
  }
}
