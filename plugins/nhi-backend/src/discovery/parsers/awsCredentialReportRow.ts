import { SourceParseError } from './SourceParseError';
import type { WarnFn } from './SourceWarning';
import { describeName, describeValue, toIsoUtc } from './values';

// The credential report's column table and how its cells are read, apart from the parser that
// turns rows into credentials.

/** The source its errors name. */
export const SOURCE = 'aws-credential-report';

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

export type Column = (typeof AWS_CREDENTIAL_REPORT_COLUMNS)[number];

/**
 * The words AWS writes in place of a value (IAM User Guide, "Generate credential reports"):
 * `N/A` where there is none (no password, no key, a key never used), `no_information` where
 * IAM did not track it (a password or key last used before tracking began), `not_supported`
 * where it does not apply to the root user's password. N/A is "none"; the other two are
 * "unknown". They are read in every column, since AWS has written them in more columns than
 * it documents (`no_information` in `access_key_1_last_used_date`).
 */
const NONE = 'N/A';
const UNKNOWN = ['no_information', 'not_supported'];

/**
 * One row, read column by column. A cell it cannot read is unknown for that field: it is
 * reported to `warn` with the row and column, and the rest of the row is read.
 */
export class Row {
  constructor(
    private readonly record: string[],
    private readonly index: Record<string, number>,
    readonly row: number,
    private readonly warn: WarnFn,
  ) {}

  private value(column: Column): string {
    return this.record[this.index[column]].trim();
  }

  /** Reports the cell as unread and answers undefined (unknown). */
  unread(column: Column, reason: string): undefined {
    this.warn({ location: `row ${this.row}`, field: column, reason });
    return undefined;
  }

  private notA(
    column: Column,
    expected: string,
    vocabulary: readonly string[],
  ): undefined {
    return this.unread(
      column,
      `${describeValue(
        this.value(column),
        vocabulary,
      )} is not ${expected}: read as unknown`,
    );
  }

  /** Free text; undefined when empty or unknown. */
  text(column: Column): string | undefined {
    const value = this.value(column);
    if (!value) return this.unread(column, 'is empty');
    return UNKNOWN.includes(value) ? undefined : value;
  }

  /** Free text, null for N/A (the region of a key never used), undefined when unknown. */
  optionalText(column: Column): string | null | undefined {
    return this.value(column) === NONE ? null : this.text(column);
  }

  /** true or false (AWS writes both cases), undefined when unknown. */
  flag(column: Column): boolean | undefined {
    const value = this.value(column);
    if (UNKNOWN.includes(value)) return undefined;
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    return this.notA(column, 'true or false', ['true', 'false', ...UNKNOWN]);
  }

  /** An ISO time, null for N/A ("none"), undefined when unknown. */
  date(column: Column): string | null | undefined {
    const value = this.value(column);
    if (value === NONE) return null;
    if (UNKNOWN.includes(value)) return undefined;
    return (
      toIsoUtc(value) ??
      this.notA(column, `a date, ${NONE}, ${UNKNOWN.join(' or ')}`, [
        NONE,
        ...UNKNOWN,
      ])
    );
  }
}

export function checkHeader(header: string[]): void {
  const missing = AWS_CREDENTIAL_REPORT_COLUMNS.filter(
    c => !header.includes(c),
  );
  const unknown = header.filter(
    c => !(AWS_CREDENTIAL_REPORT_COLUMNS as readonly string[]).includes(c),
  );
  const problems = [
    missing.length && `missing column ${missing.join(', ')}`,
    unknown.length && `unknown column ${unknown.map(describeName).join(', ')}`,
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
