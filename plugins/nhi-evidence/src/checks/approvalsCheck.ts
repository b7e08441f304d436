import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { IndexedDecision, LedgerIndex } from '../ledgerIndex';
import { CheckContext, CsvCheck, Differences, cellText, quote } from './cells';

/**
 * approvals.csv: every approval or send-back of the security queue is the one the ledger
 * recorded; and every such entry of the period is shown.
 */
export function approvalsCheck(ctx: CheckContext): CsvCheck {
  const file = EVIDENCE_FILES.approvals.name;
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
