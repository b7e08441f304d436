import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import type { Cell, CsvFile } from '../csvFile';
import { batches } from './rows';

/** usage.csv: per identity per month, the uses, failed authentications and distinct sources. */
export function usageCsv(stores: NhiStores, period: PeriodBounds): CsvFile {
  return {
    name: EVIDENCE_FILES.usage.name,
    columns: ['identity', 'month', 'uses', 'auth_failures', 'distinct_sources'],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const batch of batches(
        stores.evidence.inventoryRefs(period),
      )) {
        const days = await stores.evidence.usageDays(
          batch.map(r => r.ref),
          period,
        );
        let current:
          | {
              key: string;
              cells: [string, string];
              uses: number;
              failures: number;
              sources: Set<string>;
            }
          | undefined;
        const finish = () =>
          current && [
            ...current.cells,
            current.uses,
            current.failures,
            current.sources.size,
          ];
        for (const d of days) {
          const month = String(d.day).slice(0, 7);
          const key = `${d.identity_ref}|${month}`;
          if (current?.key !== key) {
            const done = finish();
            if (done) yield done;
            current = {
              key,
              cells: [d.identity_ref, month],
              uses: 0,
              failures: 0,
              sources: new Set(),
            };
          }
          current.uses += Number(d.uses);
          current.failures += Number(d.auth_failures);
          for (const s of JSON.parse(d.sources ?? '[]'))
            current.sources.add(String(s));
        }
        const done = finish();
        if (done) yield done;
      }
    })(),
  };
}
