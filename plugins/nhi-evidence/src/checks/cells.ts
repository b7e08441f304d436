import type { LedgerIndex } from '../ledgerIndex';
import type { VerifyFailure, VerifySummary } from '../types';

/** What a CSV file is checked for, row by row, as it streams past. */
export interface CsvCheck {
  /** The columns the checks read; the file must have them. */
  columns: string[];
  row(cells: Record<string, string>, row: number): void;
  /** After the last row: what the ledger records that no row showed. */
  end?(): void;
}

/** Where the checks report, the period they check and what they count. */
export interface CheckContext {
  index: LedgerIndex;
  /** Whether ledger-identities.jsonl was read (its identities are in the index). */
  identitiesRead: boolean;
  /** The period's bounds: `from` included, `to` excluded, in ms. */
  from: number;
  to: number;
  fail(failure: VerifyFailure): void;
  /** The identities inventory.csv lists (it is read before the files that refer to them). */
  inventory: Set<string>;
  checked: VerifySummary['checked'];
  /** A row's cells that no ledger entry of the package can vouch for, and why. */
  notChecked(file: string, columns: string[], why: string, row: number): void;
}

/** Characters that make a spreadsheet read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEUTRALISED = /^'[=+\-@\t\r]/;

/**
 * A value as the exporter writes it into a cell: text that a spreadsheet would run as a
 * formula got a leading apostrophe; nothing (null, undefined) is an empty cell.
 */
export function asCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return String(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A cell's text as it was before the exporter neutralised it. */
export const cellText = (cell: string) =>
  NEUTRALISED.test(cell) ? cell.slice(1) : cell;

export const quote = (v: unknown) =>
  v === undefined || v === null ? 'nothing' : JSON.stringify(v);

/** The differences between a CSV row and a ledger entry, field by field. */
export class Differences {
  readonly list: string[] = [];

  /** A cell against the ledger's value, compared the way the exporter wrote it. */
  cell(field: string, cell: string | undefined, value: unknown) {
    if ((cell ?? '') !== asCell(value)) {
      this.list.push(
        `${field} ${quote(cellText(cell ?? ''))} where the ledger has ${quote(
          value,
        )}`,
      );
    }
  }

  /** A value read from JSON in a cell (not neutralised) against the ledger's. */
  value(field: string, actual: unknown, value: unknown) {
    if ((actual ?? '') !== (value ?? '')) {
      this.list.push(
        `${field} ${quote(actual)} where the ledger has ${quote(value)}`,
      );
    }
  }

  /** Fails the row when anything differs, naming the ledger entry and each difference. */
  report(
    ctx: CheckContext,
    at: { file: string; row: number },
    seq: number,
    what: string,
  ) {
    if (!this.list.length) return;
    ctx.fail({
      ...at,
      seq,
      reason: `${what} differs from ledger entry ${seq}: ${this.list.join(
        '; ',
      )}`,
    });
  }

  /** A time in the file against the one the entry was recorded at. */
  time(field: string, actual: string | undefined, recordedAt: string) {
    if (Date.parse(actual ?? '') !== Date.parse(recordedAt)) {
      this.list.push(
        `${field} ${quote(actual)} where the ledger recorded it at ${quote(
          recordedAt,
        )}`,
      );
    }
  }
}

export const inPeriod = (ctx: CheckContext, at: string) => {
  const ms = Date.parse(at);
  return ms >= ctx.from && ms < ctx.to;
};

/** A time cell: empty, or a time the checks can place. */
export function timeCell(
  ctx: CheckContext,
  file: string,
  row: number,
  column: string,
  value: string,
): boolean {
  if (value && Number.isNaN(Date.parse(value))) {
    ctx.fail({ file, row, reason: `${column} ${quote(value)} is not a time` });
    return false;
  }
  return !!value;
}
