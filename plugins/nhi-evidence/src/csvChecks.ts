import { IndexedDecision, LedgerIndex } from './ledgerIndex';
import type { VerifyFailure } from './types';

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
  checked: {
    identities: number;
    decisions: number;
    exceptions: number;
    approvals: number;
  };
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

const quote = (v: unknown) =>
  v === undefined || v === null ? 'nothing' : JSON.stringify(v);

/** The differences between a CSV row and a ledger entry, field by field. */
class Differences {
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

const inPeriod = (ctx: CheckContext, at: string) => {
  const ms = Date.parse(at);
  return ms >= ctx.from && ms < ctx.to;
};

/** A time cell: empty, or a time the checks can place. */
function timeCell(
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

/** inventory.csv: every identity is one the ledger registered. */
export function inventoryCheck(ctx: CheckContext): CsvCheck {
  const file = 'inventory.csv';
  return {
    columns: ['identity'],
    row(cells, row) {
      const identity = cellText(cells.identity);
      ctx.checked.identities++;
      if (!identity) {
        ctx.fail({ file, row, reason: 'names no identity' });
      } else if (!ctx.index.registered.has(identity)) {
        ctx.fail({
          file,
          row,
          reason: `identity ${identity} has no identity.registered or identity.changed entry in ${
            ctx.identitiesRead
              ? 'ledger-identities.jsonl or ledger.jsonl'
              : 'ledger.jsonl (and ledger-identities.jsonl could not be read)'
          }`,
        });
      }
    },
  };
}

interface ShownDecision {
  itemId: string;
  identity: string;
  version: string;
  decision: unknown;
  decidedBy: unknown;
  justification: unknown;
  decidedAt: string;
}

/**
 * access-reviews.csv: every decision made within the period, the one in force and each
 * earlier version, is the one the ledger recorded; and every review.decided entry of the
 * period is shown.
 */
export function accessReviewsCheck(ctx: CheckContext): CsvCheck {
  const file = 'access-reviews.csv';

  const check = (
    row: number,
    shown: ShownDecision,
    which: string,
    fromCells: boolean,
  ) => {
    ctx.checked.decisions++;
    const what = `${which}, version ${shown.version} of item ${shown.itemId}`;
    const found = ctx.index.reviews.get(
      LedgerIndex.reviewKey(shown.itemId, shown.version),
    );
    if (!found) {
      ctx.fail({
        file,
        row,
        reason: `${what}, decided at ${shown.decidedAt} within the period, has no review.decided entry in ledger.jsonl`,
      });
      return;
    }
    found.seen = true;
    const { entry } = found;
    const diff = new Differences();
    const compare = fromCells
      ? (f: string, v: unknown, l: unknown) => diff.cell(f, v as string, l)
      : (f: string, v: unknown, l: unknown) => diff.value(f, v, l);
    compare('decision', shown.decision, entry.payload.decision);
    compare('decided_by', shown.decidedBy, entry.payload.decidedBy);
    compare('justification', shown.justification, entry.payload.justification);
    diff.cell('identity', shown.identity, entry.subject);
    diff.time('decided_at', shown.decidedAt, entry.recordedAt);
    if (diff.list.length) {
      ctx.fail({
        file,
        row,
        seq: entry.seq,
        reason: `${what} differs from ledger entry ${
          entry.seq
        }: ${diff.list.join('; ')}`,
      });
    }
  };

  return {
    columns: [
      'item_id',
      'identity',
      'decision',
      'justification',
      'decided_by',
      'decided_at',
      'version',
      'earlier_versions',
    ],
    row(cells, row) {
      const itemId = cellText(cells.item_id);
      if (
        timeCell(ctx, file, row, 'decided_at', cells.decided_at) &&
        inPeriod(ctx, cells.decided_at)
      ) {
        check(
          row,
          {
            itemId,
            identity: cells.identity,
            version: cells.version,
            decision: cells.decision,
            decidedBy: cells.decided_by,
            justification: cells.justification,
            decidedAt: cells.decided_at,
          },
          'the decision in force',
          true,
        );
      }
      if (!cells.earlier_versions) return;
      let earlier: unknown;
      try {
        earlier = JSON.parse(cellText(cells.earlier_versions));
      } catch {
        earlier = undefined;
      }
      if (!Array.isArray(earlier)) {
        ctx.fail({ file, row, reason: 'earlier_versions is not a JSON list' });
        return;
      }
      for (const v of earlier) {
        const decidedAt = typeof v?.decidedAt === 'string' ? v.decidedAt : '';
        if (
          !timeCell(ctx, file, row, 'an earlier decidedAt', decidedAt) ||
          !inPeriod(ctx, decidedAt)
        ) {
          continue;
        }
        check(
          row,
          {
            itemId,
            identity: cells.identity,
            version: String(v.version),
            decision: v.decision,
            decidedBy: v.decidedBy,
            justification: v.justification,
            decidedAt,
          },
          'an earlier decision',
          false,
        );
      }
    },
    end() {
      for (const {
        entry,
        inPeriod: within,
        seen,
      } of ctx.index.reviews.values()) {
        if (!within || seen) continue;
        ctx.fail({
          file,
          seq: entry.seq,
          reason: `ledger entry ${entry.seq} records version ${
            entry.payload.version
          } of item ${entry.payload.itemId} on ${entry.subject} (${quote(
            entry.payload.decision,
          )} by ${entry.payload.decidedBy} at ${
            entry.recordedAt
          }), which ${file} does not show`,
        });
      }
    },
  };
}

/**
 * exceptions.csv: every exception decided within the period was approved or rejected as the
 * ledger recorded; and every such entry of the period is shown.
 */
export function exceptionsCheck(ctx: CheckContext): CsvCheck {
  const file = 'exceptions.csv';
  return {
    columns: [
      'exception_id',
      'identity',
      'finding',
      'status',
      'requested_by',
      'decided_by',
      'decided_at',
      'decision_reason',
      'expires_at',
    ],
    row(cells, row) {
      if (
        !timeCell(ctx, file, row, 'decided_at', cells.decided_at) ||
        !inPeriod(ctx, cells.decided_at)
      ) {
        return;
      }
      ctx.checked.exceptions++;
      const id = cellText(cells.exception_id);
      const candidates = (ctx.index.exceptions.get(id) ?? []).filter(
        c => !c.seen,
      );
      if (!candidates.length) {
        ctx.fail({
          file,
          row,
          reason: `exception ${id}, decided at ${cells.decided_at} within the period, has no exception.approved or exception.rejected entry in ledger.jsonl`,
        });
        return;
      }
      const found = candidates[0];
      found.seen = true;
      const { entry } = found;
      const diff = new Differences();
      const status = cellText(cells.status);
      const kind =
        entry.kind === 'exception.approved' ? 'approved' : 'rejected';
      // An approved exception later expires; a rejected one stays rejected.
      const expected = status === 'expired' ? 'approved' : status;
      if (expected !== kind) {
        diff.list.push(`status ${quote(status)} where the ledger has ${kind}`);
      }
      diff.cell('identity', cells.identity, entry.subject);
      diff.cell('finding', cells.finding, entry.payload.finding);
      diff.cell('requested_by', cells.requested_by, entry.payload.requestedBy);
      diff.cell('decided_by', cells.decided_by, entry.payload.decidedBy);
      diff.cell('decision_reason', cells.decision_reason, entry.payload.reason);
      diff.cell('expires_at', cells.expires_at, entry.payload.expiresAt);
      diff.time('decided_at', cells.decided_at, entry.recordedAt);
      if (diff.list.length) {
        ctx.fail({
          file,
          row,
          seq: entry.seq,
          reason: `exception ${id} differs from ledger entry ${
            entry.seq
          }: ${diff.list.join('; ')}`,
        });
      }
    },
    end() {
      for (const decisions of ctx.index.exceptions.values()) {
        for (const { entry, inPeriod: within, seen } of decisions) {
          // A request rejected after it had expired is no longer in the file: only those
          // alive in the period are.
          const expiresAt = Date.parse(String(entry.payload.expiresAt));
          if (!within || seen || !(expiresAt >= ctx.from)) continue;
          ctx.fail({
            file,
            seq: entry.seq,
            reason: `ledger entry ${entry.seq} records that ${
              entry.payload.decidedBy
            } ${entry.kind.slice('exception.'.length)} exception ${
              entry.payload.exceptionId
            } on ${entry.subject}, which ${file} does not show`,
          });
        }
      }
    },
  };
}

/**
 * approvals.csv: every approval or send-back of the security queue is the one the ledger
 * recorded; and every such entry of the period is shown.
 */
export function approvalsCheck(ctx: CheckContext): CsvCheck {
  const file = 'approvals.csv';
  return {
    columns: [
      'identity',
      'decision',
      'decided_by',
      'decided_at',
      'ticket',
      'reason',
    ],
    row(cells, row) {
      ctx.checked.approvals++;
      const identity = cellText(cells.identity);
      const decision = cellText(cells.decision);
      const decidedAt = cellText(cells.decided_at);
      const candidates = (
        ctx.index.approvals.get(
          LedgerIndex.approvalKey(identity, decidedAt, decision),
        ) ?? []
      ).filter(c => !c.seen);
      if (!candidates.length) {
        ctx.fail({
          file,
          row,
          reason: `${quote(decision)} of ${identity} at ${decidedAt} has no ${
            decision === 'approved' ? 'identity.approved' : 'identity.sent-back'
          } entry in ledger.jsonl`,
        });
        return;
      }
      const diffOf = (c: IndexedDecision) => {
        const diff = new Differences();
        diff.cell('decided_by', cells.decided_by, c.entry.payload.decidedBy);
        diff.cell('ticket', cells.ticket, c.entry.payload.ticket);
        diff.cell('reason', cells.reason, c.entry.payload.reason);
        return diff.list;
      };
      const found = candidates.find(c => !diffOf(c).length) ?? candidates[0];
      found.seen = true;
      const differences = diffOf(found);
      if (differences.length) {
        ctx.fail({
          file,
          row,
          seq: found.entry.seq,
          reason: `${quote(
            decision,
          )} of ${identity} differs from ledger entry ${
            found.entry.seq
          }: ${differences.join('; ')}`,
        });
      }
    },
    end() {
      for (const decisions of ctx.index.approvals.values()) {
        for (const { entry, inPeriod: within, seen } of decisions) {
          if (!within || seen) continue;
          ctx.fail({
            file,
            seq: entry.seq,
            reason: `ledger entry ${entry.seq} records that ${
              entry.payload.decidedBy
            } ${
              entry.kind === 'identity.approved' ? 'approved' : 'sent back'
            } ${entry.subject}, which ${file} does not show`,
          });
        }
      }
    },
  };
}

/** The checks of the CSV files this verifier knows; others are only hashed and counted. */
export const CSV_CHECKS: Record<string, (ctx: CheckContext) => CsvCheck> = {
  'inventory.csv': inventoryCheck,
  'access-reviews.csv': accessReviewsCheck,
  'exceptions.csv': exceptionsCheck,
  'approvals.csv': approvalsCheck,
};
