import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import {
  CheckContext,
  CsvCheck,
  Differences,
  cellText,
  inPeriod,
  quote,
  timeCell,
} from './cells';

/**
 * exceptions.csv: every exception decided within the period was approved or rejected as the
 * ledger recorded; and every such entry of the period is shown.
 */
export function exceptionsCheck(ctx: CheckContext): CsvCheck {
  const file = EVIDENCE_FILES.exceptions.name;
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
