import { createHash } from 'crypto';
import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { canonicalJson } from '../ledger/canonicalJson';
import { LedgerIndex } from '../ledgerIndex';
import {
  CheckContext,
  CsvCheck,
  Differences,
  cellText,
  inPeriod,
  quote,
  timeCell,
} from './cells';

const file = EVIDENCE_FILES.accessReviews.name;

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

/** One decision the file shows is the one the ledger recorded as that version of the item. */
function checkDecision(
  ctx: CheckContext,
  row: number,
  shown: ShownDecision,
  which: string,
  fromCells: boolean,
) {
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
}

/** The snapshot the reviewer was shown is the one the ledger recorded when it was assigned. */
function checkAssignment(
  ctx: CheckContext,
  row: number,
  itemId: string,
  cells: Record<string, string>,
) {
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
}

/** The decision in force, when it was made within the period. */
function checkDecisionInForce(
  ctx: CheckContext,
  row: number,
  itemId: string,
  cells: Record<string, string>,
) {
  if (
    !timeCell(ctx, file, row, 'decided_at', cells.decided_at) ||
    !inPeriod(ctx, cells.decided_at)
  ) {
    return;
  }
  checkDecision(
    ctx,
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

/** The earlier versions (a JSON list in one cell), each made within the period. */
function checkEarlierVersions(
  ctx: CheckContext,
  row: number,
  itemId: string,
  cells: Record<string, string>,
) {
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
    checkDecision(
      ctx,
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
}

/** Every assignment and decision the ledger recorded in the period is one a row showed. */
function checkAllShown(ctx: CheckContext) {
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
  for (const { entry, inPeriod: within, seen } of ctx.index.reviews.values()) {
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
}

/**
 * access-reviews.csv: every decision made within the period, the one in force and each
 * earlier version, is the one the ledger recorded; and every review.decided entry of the
 * period is shown.
 */
export function accessReviewsCheck(ctx: CheckContext): CsvCheck {
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
      checkAssignment(ctx, row, itemId, cells);
      checkDecisionInForce(ctx, row, itemId, cells);
      checkEarlierVersions(ctx, row, itemId, cells);
    },
    end: () => checkAllShown(ctx),
  };
}
