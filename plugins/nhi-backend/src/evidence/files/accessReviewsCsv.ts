import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import type { Cell, CsvFile } from '../csvFile';
import { batches, json } from './rows';

/**
 * access-reviews.csv: one row per review item, with the snapshot the reviewer was shown, the
 * decision in force, every earlier version, escalation and remediation.
 */
export function accessReviewsCsv(
  stores: NhiStores,
  period: PeriodBounds,
): CsvFile {
  return {
    name: EVIDENCE_FILES.accessReviews.name,
    columns: [
      'campaign_id',
      'campaign_period',
      'campaign_status',
      'item_id',
      'identity',
      'assignee',
      'due_at',
      'state',
      'new_since_last_campaign',
      'snapshot_sha256',
      'snapshot',
      'decision',
      'justification',
      'decided_by',
      'decided_at',
      'version',
      'batch_id',
      'decision_details',
      'earlier_versions',
      'escalated_at',
      'escalation_reason',
      'non_response_action',
      'remediations',
    ],
    rows: (async function* rows(): AsyncGenerator<Cell[]> {
      for await (const batch of batches(
        stores.evidence.reviewItemRows(period),
      )) {
        const ids = batch.map(i => i.id);
        const versions = new Map<string, any[]>();
        for (const v of await stores.evidence.decisionVersions(ids)) {
          versions.set(v.item_id, [...(versions.get(v.item_id) ?? []), v]);
        }
        const remediations = new Map<string, any[]>();
        for (const r of await stores.evidence.remediationsOf(ids)) {
          remediations.set(r.item_id, [
            ...(remediations.get(r.item_id) ?? []),
            r,
          ]);
        }
        for (const item of batch) {
          const history = versions.get(item.id) ?? [];
          const current = history[history.length - 1];
          yield [
            item.campaign_id,
            item.period,
            item.campaign_status,
            item.id,
            item.identity_ref,
            item.assignee,
            item.due_at,
            item.state,
            !!item.new_since_last,
            item.snapshot_hash,
            item.snapshot,
            current?.decision,
            current?.justification,
            current?.decided_by,
            current?.decided_at,
            current ? Number(current.version) : undefined,
            current?.batch_id,
            current?.details ?? '',
            json(
              history.slice(0, -1).map(v => ({
                version: Number(v.version),
                decision: v.decision,
                justification: v.justification,
                decidedBy: v.decided_by,
                decidedAt: v.decided_at,
                ...(v.batch_id ? { batchId: v.batch_id } : {}),
                ...(v.details ? JSON.parse(v.details) : {}),
              })),
            ),
            item.escalated_at,
            item.escalation_reason,
            item.overdue_action,
            json(
              (remediations.get(item.id) ?? []).map(r => ({
                kind: r.kind,
                openedAt: r.opened_at,
                dueAt: r.due_at,
                closedAt: r.closed_at ?? undefined,
                closedBy: r.closed_by ?? undefined,
              })),
            ),
          ];
        }
      }
    })(),
  };
}
