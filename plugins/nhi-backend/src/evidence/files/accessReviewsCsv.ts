import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import { PeriodBounds } from '../store/EvidenceStore';
import { CsvColumn, CsvFile, csvFileOf } from '../csvFile';
import { batches, json } from './rows';

/** A review item as access-reviews.csv reads it: with every version of its decision. */
interface ReviewItemRow {
  item: any;
  /** The versions of its decision, oldest first: the last is the one in force. */
  versions: any[];
  remediations: any[];
}

const current = (r: ReviewItemRow) => r.versions[r.versions.length - 1];

/** A decision version as earlier_versions lists it. */
const earlierVersion = (v: any) => ({
  version: Number(v.version),
  decision: v.decision,
  justification: v.justification,
  decidedBy: v.decided_by,
  decidedAt: v.decided_at,
  ...(v.batch_id ? { batchId: v.batch_id } : {}),
  ...(v.details ? JSON.parse(v.details) : {}),
});

/** A remediation as the remediations cell lists it. */
const remediation = (r: any) => ({
  kind: r.kind,
  openedAt: r.opened_at,
  dueAt: r.due_at,
  closedAt: r.closed_at ?? undefined,
  closedBy: r.closed_by ?? undefined,
});

const ACCESS_REVIEW_COLUMNS: Array<CsvColumn<ReviewItemRow>> = [
  { header: 'campaign_id', value: r => r.item.campaign_id },
  { header: 'campaign_period', value: r => r.item.period },
  { header: 'campaign_status', value: r => r.item.campaign_status },
  { header: 'item_id', value: r => r.item.id },
  { header: 'identity', value: r => r.item.identity_ref },
  { header: 'assignee', value: r => r.item.assignee },
  { header: 'due_at', value: r => r.item.due_at },
  { header: 'state', value: r => r.item.state },
  { header: 'new_since_last_campaign', value: r => !!r.item.new_since_last },
  { header: 'snapshot_sha256', value: r => r.item.snapshot_hash },
  { header: 'snapshot', value: r => r.item.snapshot },
  { header: 'decision', value: r => current(r)?.decision },
  { header: 'justification', value: r => current(r)?.justification },
  { header: 'decided_by', value: r => current(r)?.decided_by },
  { header: 'decided_at', value: r => current(r)?.decided_at },
  {
    header: 'version',
    value: r => (current(r) ? Number(current(r).version) : undefined),
  },
  { header: 'batch_id', value: r => current(r)?.batch_id },
  { header: 'decision_details', value: r => current(r)?.details ?? '' },
  {
    header: 'earlier_versions',
    value: r => json(r.versions.slice(0, -1).map(earlierVersion)),
  },
  { header: 'escalated_at', value: r => r.item.escalated_at },
  { header: 'escalation_reason', value: r => r.item.escalation_reason },
  { header: 'non_response_action', value: r => r.item.overdue_action },
  { header: 'remediations', value: r => json(r.remediations.map(remediation)) },
];

/** Rows of these items' ids, grouped by item, in the order read. */
function byItem(rows: any[]): Map<string, any[]> {
  const grouped = new Map<string, any[]>();
  for (const row of rows) {
    grouped.set(row.item_id, [...(grouped.get(row.item_id) ?? []), row]);
  }
  return grouped;
}

/** The review items of the period a batch at a time, each with its decisions and remediations. */
async function* reviewItemRows(
  stores: NhiStores,
  period: PeriodBounds,
): AsyncGenerator<ReviewItemRow> {
  for await (const batch of batches(stores.evidence.reviewItemRows(period))) {
    const ids = batch.map(i => i.id);
    const versions = byItem(await stores.evidence.decisionVersions(ids));
    const remediations = byItem(await stores.evidence.remediationsOf(ids));
    for (const item of batch) {
      yield {
        item,
        versions: versions.get(item.id) ?? [],
        remediations: remediations.get(item.id) ?? [],
      };
    }
  }
}

/**
 * access-reviews.csv: one row per review item, with the snapshot the reviewer was shown, the
 * decision in force, every earlier version, escalation and remediation.
 */
export function accessReviewsCsv(
  stores: NhiStores,
  period: PeriodBounds,
): CsvFile {
  return csvFileOf(
    EVIDENCE_FILES.accessReviews.name,
    ACCESS_REVIEW_COLUMNS,
    reviewItemRows(stores, period),
  );
}
