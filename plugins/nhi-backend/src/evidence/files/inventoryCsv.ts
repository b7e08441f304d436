import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { toRecord } from '../../database/tables/identities';
import type { IdentityRecord } from '../../engine/types';
import { LedgerSlice, PeriodBounds } from '../store/EvidenceStore';
import { CsvColumn, CsvFile, csvFileOf } from '../csvFile';
import type { StatusAt } from '../statusHistory';
import { ledgerStateAtEnd } from './ledgerStateAtEnd';
import { before, latest, openCodesCell, withStatusHistory } from './rows';

/** One identity as inventory.csv reads it: as the ledger had it, and where it stood, when the period ended. */
interface InventoryRow {
  /** The stored identity row, its governance facts joined. */
  stored: any;
  /** The identity as its latest registration before the end of the period recorded it. */
  record: IdentityRecord;
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

/** A column holding a field of the recorded identity. */
const recorded = (
  header: string,
  field: keyof IdentityRecord,
): CsvColumn<InventoryRow> => ({
  header,
  value: r => {
    const v = r.record[field];
    return Array.isArray(v) ? v.join('; ') : (v as string | undefined);
  },
});

const INVENTORY_COLUMNS: Array<CsvColumn<InventoryRow>> = [
  { header: 'identity', value: r => r.stored.ref },
  recorded('owner', 'owner'),
  recorded('backup_owner', 'backupOwner'),
  recorded('purpose', 'purpose'),
  recorded('type', 'type'),
  recorded('environment', 'environment'),
  recorded('provider', 'provider'),
  recorded('external_id', 'externalId'),
  recorded('scopes', 'scopes'),
  recorded('privilege', 'privilege'),
  recorded('used_by', 'usedBy'),
  recorded('system', 'system'),
  { header: 'approved_by', value: r => r.approval?.approvedBy },
  { header: 'approved_at', value: r => r.approval?.approvedAt },
  { header: 'approval_ticket', value: r => r.approval?.ticket },
  { header: 'created_at', value: r => r.record.credential.createdAt },
  { header: 'last_rotated_at', value: r => r.lastRotatedAt },
  {
    header: 'expires_at',
    value: r => r.status?.rotation.expiresAt ?? r.record.credential.expiresAt,
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

/**
 * The identities of the period a batch at a time, each read as the ledger recorded it up to the
 * end of the period (its record, and the security queue's approval unless it declares its own),
 * with its last rotation and use.
 */
async function* inventoryRows(
  stores: NhiStores,
  period: PeriodBounds,
  slice: LedgerSlice | undefined,
): AsyncGenerator<InventoryRow> {
  for await (const batch of withStatusHistory(
    stores,
    stores.evidence.inventoryRows(period),
    period,
  )) {
    const refs = batch.map(([r]) => r.ref);
    const rotated = await stores.evidence.lastRotationsOf(refs, period);
    const used = await stores.evidence.lastUsesOf(refs, period);
    const ledgered = await ledgerStateAtEnd(stores, refs, period, slice);
    for (const [r, { atEnd }] of batch) {
      const state = ledgered.get(r.ref);
      const record = state?.record ?? toRecord(r);
      const governance = r.governance ? JSON.parse(r.governance) : {};
      yield {
        stored: r,
        record,
        approval:
          record.approval ?? (state ? state.approval : governance.approval),
        status: r.status ? JSON.parse(r.status) : undefined,
        atEnd,
        lastRotatedAt: latest(
          rotated.get(r.ref),
          before(record.credential.lastRotatedAt, period.to),
        ),
        lastUsedAt: used.get(r.ref),
      };
    }
  }
}

/**
 * inventory.csv: who each identity is, who owns and approved it, and where it stood when the
 * period ended, as the ledger recorded it then (so a later change does not rewrite a past
 * period, and the verifier can check each of these cells): its statuses and open findings
 * (replayed from the ledger), its last rotation and last use before that end.
 */
export function inventoryCsv(
  stores: NhiStores,
  period: PeriodBounds,
  slice: LedgerSlice | undefined,
): CsvFile {
  return csvFileOf(
    EVIDENCE_FILES.inventory.name,
    INVENTORY_COLUMNS,
    inventoryRows(stores, period, slice),
  );
}
