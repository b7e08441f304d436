import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { LIFECYCLE_EVENTS, LedgerIndex } from '../ledgerIndex';
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
 * rotations.csv: every issue, rotation, revocation and expiry of the period is the event the
 * ledger recorded when it was received (by its id), and every such event of the period is shown.
 */
export function rotationsCheck(ctx: CheckContext): CsvCheck {
  const file = EVIDENCE_FILES.rotations.name;
  return {
    columns: ['identity', 'event', 'event_id', 'occurred_at', 'received_at'],
    row(cells, row) {
      const event = cellText(cells.event);
      if (event === 'overdue') return;
      if (!LIFECYCLE_EVENTS.has(event)) {
        ctx.fail({
          file,
          row,
          reason: `event ${quote(event)} is not one of ${[
            ...LIFECYCLE_EVENTS,
            'overdue',
          ].join(', ')}`,
        });
        return;
      }
      ctx.checked.events++;
      const id = cellText(cells.event_id);
      const identity = cellText(cells.identity);
      const found = ctx.index.events.get(LedgerIndex.eventKey(id, identity));
      if (!found) {
        const received = cellText(cells.received_at);
        if (
          timeCell(ctx, file, row, 'received_at', received) &&
          inPeriod(ctx, received)
        ) {
          ctx.fail({
            file,
            row,
            reason: `event ${id} (${event} of ${identity} at ${cells.occurred_at}), received within the period, has no event.ingested entry in ledger.jsonl`,
          });
        }
        return;
      }
      found.seen = true;
      const { entry } = found;
      const diff = new Differences();
      diff.cell('identity', cells.identity, entry.subject);
      diff.cell('event', cells.event, entry.payload.type);
      if (
        Date.parse(cellText(cells.occurred_at)) !==
        Date.parse(String(entry.payload.occurredAt))
      ) {
        diff.list.push(
          `occurred_at ${quote(
            cellText(cells.occurred_at),
          )} where the ledger has ${quote(entry.payload.occurredAt)}`,
        );
      }
      diff.report(ctx, { file, row }, entry.seq, `event ${id}`);
    },
    end() {
      for (const {
        entry,
        inPeriod: within,
        seen,
      } of ctx.index.events.values()) {
        const occurredAt = String(entry.payload.occurredAt);
        const id = String(entry.payload.id);
        if (!within || seen || !inPeriod(ctx, occurredAt)) continue;
        ctx.fail({
          file,
          seq: entry.seq,
          reason: `ledger entry ${entry.seq} records event ${id}: ${entry.subject} ${entry.payload.type} at ${occurredAt}, which ${file} does not show`,
        });
      }
    },
  };
}
