import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import { CsvColumn, CsvFile, csvFileOf } from '../csvFile';
import type { StatusAt } from '../statusHistory';
import { before, latest, list, openCodesCell, withStatusHistory } from './rows';

/** One identity as inventory.csv reads it: as stored, with its state when the period ended. */
interface InventoryRow {
  /** The stored identity row, its governance facts joined. */
  stored: any;
  credential: any;
  approval: any;
  status: any;
  atEnd: StatusAt;
  lastRotatedAt?: string;
  lastUsedAt?: string;
}

/** A column holding a stored field as it is, under the field's own name. */
const stored = (field: string): CsvColumn<InventoryRow> => ({
  header: field,
  value: r => r.stored[field],
});

const INVENTORY_COLUMNS: Array<CsvColumn<InventoryRow>> = [
  { header: 'identity', value: r => r.stored.ref },
  stored('owner'),
  stored('backup_owner'),
  stored('purpose'),
  stored('type'),
  stored('environment'),
  stored('provider'),
  stored('external_id'),
  { header: 'scopes', value: r => list(r.stored.scopes) },
  stored('privilege'),
  { header: 'used_by', value: r => list(r.stored.used_by) },
  stored('system'),
  { header: 'approved_by', value: r => r.approval?.approvedBy },
  { header: 'approved_at', value: r => r.approval?.approvedAt },
  { header: 'approval_ticket', value: r => r.approval?.ticket },
  { header: 'created_at', value: r => r.credential.createdAt },
  { header: 'last_rotated_at', value: r => r.lastRotatedAt },
  {
    header: 'expires_at',
    value: r => r.status?.rotation.expiresAt ?? r.credential.expiresAt,
  },
  { header: 'last_used_at', value: r => r.lastUsedAt },
  stored('first_seen_at'),
  stored('removed_at'),
  { header: 'rotation_status_at_period_end', value: r => r.atEnd.rotation },
  { header: 'usage_status_at_period_end', value: r => r.atEnd.usage },
  { header: 'review_status_at_period_end', value: r => r.atEnd.review },
  {
    header: 'open_findings_at_period_end',
    value: r => openCodesCell(r.atEnd.open),
  },
];

/** The identities of the period a batch at a time, each read with its last rotation and use. */
async function* inventoryRows(
  stores: NhiStores,
  period: PeriodBounds,
): AsyncGenerator<InventoryRow> {
  for await (const batch of withStatusHistory(
    stores,
    stores.evidence.inventoryRows(period),
    period,
  )) {
    const refs = batch.map(([r]) => r.ref);
    const rotated = await stores.evidence.lastRotationsOf(refs, period);
    const used = await stores.evidence.lastUsesOf(refs, period);
    for (const [r, { atEnd }] of batch) {
      const credential = JSON.parse(r.credential);
      const governance = r.governance ? JSON.parse(r.governance) : {};
      yield {
        stored: r,
        credential,
        approval: r.approval ? JSON.parse(r.approval) : governance.approval,
        status: r.status ? JSON.parse(r.status) : undefined,
        atEnd,
        lastRotatedAt: latest(
          rotated.get(r.ref),
          before(credential.lastRotatedAt, period.to),
        ),
        lastUsedAt: used.get(r.ref),
      };
    }
  }
}

/**
 * inventory.csv: who each identity is, who owns and approved it, and where it stood when the
 * period ended: its statuses and open findings (replayed from the ledger), its last rotation
 * and last use before that end.
 */
export function inventoryCsv(stores: NhiStores, period: PeriodBounds): CsvFile {
  return csvFileOf(
    EVIDENCE_FILES.inventory.name,
    INVENTORY_COLUMNS,
    inventoryRows(stores, period),
  );
}
