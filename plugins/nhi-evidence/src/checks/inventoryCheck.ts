import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { CheckContext, CsvCheck, cellText } from './cells';

/** inventory.csv: every identity is one the ledger registered, and every one it registered in the period is shown. */
export function inventoryCheck(ctx: CheckContext): CsvCheck {
  const file = EVIDENCE_FILES.inventory.name;
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
