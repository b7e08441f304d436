import { createHash } from 'crypto';
import { canonicalJson } from '../ledger/canonicalJson';
import { IndexedDecision, LedgerIndex } from '../ledgerIndex';
import {
  CheckContext,
  CsvCheck,
  Differences,
  cellText,
  inPeriod,
  quote,
  timeCell,
} from './cells';

/** inventory.csv: every identity is one the ledger registered, and every one it registered in the period is shown. */
export function inventoryCheck(ctx: CheckContext): CsvCheck {
  const file = 'inventory.csv';
  return {
    columns: ['identity'],
    row(cells, row) {
      const identity = cellText(cells.identity);
      ctx.checked.identities++;
      ctx.inventory.add(identity);
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
    end() {
      for (const [identity, seq] of ctx.index.registeredInPeriod) {
        if (ctx.inventory.has(identity)) continue;
        ctx.fail({
          file,
          seq,
          reason: `ledger entry ${seq} registers ${identity} within the period, which ${file} does not show`,
        });
      }
    },
  };
}

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

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
    diff.report(ctx, { file, row }, entry.seq, what);
  };

  /** The snapshot the reviewer was shown is the one the ledger recorded when it was assigned. */
  const checkAssignment = (
    row: number,
    itemId: string,
    cells: Record<string, string>,
  ) => {
    const claimed = cellText(cells.snapshot_sha256);
    let actual: string | undefined;
    try {
      actual = sha256(canonicalJson(JSON.parse(cellText(cells.snapshot))));
    } catch {
      actual = undefined;
    }
    if (actual !== claimed) {
      ctx.fail({
        file,
        row,
        reason: `the snapshot of item ${itemId} is not the one its snapshot_sha256 ${claimed} was computed from: it was changed`,
      });
    }
    const assigned = ctx.index.assignments.get(itemId);
    if (!assigned) return;
    assigned.seen = true;
    const diff = new Differences();
    diff.cell('identity', cells.identity, assigned.entry.subject);
    diff.cell('snapshot_sha256', claimed, assigned.entry.payload.snapshotHash);
    diff.report(
      ctx,
      { file, row },
      assigned.entry.seq,
      `the assignment of item ${itemId}`,
    );
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
      'snapshot',
      'snapshot_sha256',
    ],
    row(cells, row) {
      const itemId = cellText(cells.item_id);
      checkAssignment(row, itemId, cells);
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
      } of ctx.index.assignments.values()) {
        if (!within || seen) continue;
        ctx.fail({
          file,
          seq: entry.seq,
          reason: `ledger entry ${entry.seq} assigns item ${entry.payload.itemId} on ${entry.subject} for review, which ${file} does not show`,
        });
      }
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
      diff.report(ctx, { file, row }, entry.seq, `exception ${id}`);
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
        return diff;
      };
      const found =
        candidates.find(c => !diffOf(c).list.length) ?? candidates[0];
      found.seen = true;
      diffOf(found).report(
        ctx,
        { file, row },
        found.entry.seq,
        `${quote(decision)} of ${identity}`,
      );
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
