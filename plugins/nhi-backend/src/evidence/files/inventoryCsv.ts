import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import type { Cell, CsvFile } from '../csvFile';
import { before, latest, list, openCodesCell, withStatusHistory } from './rows';

/**
 * inventory.csv: who each identity is, who owns and approved it, and where it stood when the
 * period ended: its statuses and open findings (replayed from the ledger), its last rotation
 * and last use before that end.
 */
export function inventoryCsv(stores: NhiStores, period: PeriodBounds): CsvFile {
  return {
    name: EVIDENCE_FILES.inventory.name,
    columns: [
      'identity',
      'owner',
      'backup_owner',
      'purpose',
      'type',
      'environment',
      'provider',
      'external_id',
      'scopes',
      'privilege',
      'used_by',
      'system',
      'approved_by',
      'approved_at',
      'approval_ticket',
      'created_at',
      'last_rotated_at',
      'expires_at',
      'last_used_at',
      'first_seen_at',
      'removed_at',
      'rotation_status_at_period_end',
      'usage_status_at_period_end',
      'review_status_at_period_end',
      'open_findings_at_period_end',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
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
          const approval = r.approval
            ? JSON.parse(r.approval)
            : governance.approval;
          const status = r.status ? JSON.parse(r.status) : undefined;
          yield [
            r.ref,
            r.owner,
            r.backup_owner,
            r.purpose,
            r.type,
            r.environment,
            r.provider,
            r.external_id,
            list(r.scopes),
            r.privilege,
            list(r.used_by),
            r.system,
            approval?.approvedBy,
            approval?.approvedAt,
            approval?.ticket,
            credential.createdAt,
            latest(
              rotated.get(r.ref),
              before(credential.lastRotatedAt, period.to),
            ),
            status?.rotation.expiresAt ?? credential.expiresAt,
            used.get(r.ref),
            r.first_seen_at,
            r.removed_at,
            atEnd.rotation,
            atEnd.usage,
            atEnd.review,
            openCodesCell(atEnd.open),
          ];
        }
      }
    })(),
  };
}
