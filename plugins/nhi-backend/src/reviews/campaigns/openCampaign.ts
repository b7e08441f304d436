import { randomUUID } from 'crypto';
import type { IdentityView } from '@nhi-governance/plugin-nhi-common';
import type { NhiStores } from '../../database/NhiStores';
import type { LedgerDraft } from '../../ledger/LedgerDraft';
import type { StoredCampaign } from '../store/CampaignStore';
import { reviewSnapshot, snapshotHash } from '../snapshot';
import { campaignSubject } from './campaignSubject';

/**
 * Freezes the population: an item per present identity in scope, assigned to its owner (or
 * to security when it has none), with the snapshot the reviewer will confirm, each recorded
 * in the ledger with the snapshot's hash. Marks the campaign open, in the store and on the
 * object given, and returns the refs of the identities it now reviews.
 */
export async function openCampaign(
  trx: NhiStores,
  campaign: StoredCampaign,
  at: string,
  securityGroup: string,
): Promise<string[]> {
  const previous = await trx.campaigns.readPreviousCampaign(campaign.createdAt);
  const refs: string[] = [];
  for await (const page of trx.identityQueries.streamIdentities(
    campaign.scope,
  )) {
    const seen = previous
      ? await trx.reviewItems.readCampaignIdentities(
          previous.id,
          page.map(i => i.ref),
        )
      : undefined;
    const rows = page.map(identity =>
      reviewItemRow(campaign, identity, seen, securityGroup),
    );
    await trx.reviewItems.insertReviewItems(rows);
    await trx.ledger.appendLedgerEntries(
      rows.map(row => assignedEntry(campaign, row)),
      at,
    );
    refs.push(...rows.map(r => r.identity_ref));
  }
  await trx.campaigns.updateCampaign(campaign.id, {
    status: 'open',
    opened_at: at,
  });
  campaign.status = 'open';
  campaign.openedAt = at;
  await trx.governance.refreshGovernance(refs);
  await trx.ledger.appendLedgerEntries(
    [
      {
        kind: 'campaign.opened',
        subject: campaignSubject(campaign.id),
        payload: {
          campaignId: campaign.id,
          period: campaign.period,
          dueAt: campaign.dueAt,
          items: refs.length,
        },
      },
    ],
    at,
  );
  return refs;
}

/**
 * The item of one identity. `seen` holds the identities the previous campaign reviewed, so a
 * reviewer can tell which are new since then; without a previous campaign none is.
 */
function reviewItemRow(
  campaign: StoredCampaign,
  identity: IdentityView,
  seen: Set<string> | undefined,
  securityGroup: string,
) {
  const snapshot = reviewSnapshot(identity);
  return {
    id: randomUUID(),
    campaign_id: campaign.id,
    identity_ref: identity.ref,
    assignee: assigneeOf(identity, securityGroup),
    backup_owner: identity.backupOwner ?? null,
    approved_by: identity.approval?.approvedBy ?? null,
    due_at: campaign.dueAt,
    state: 'pending',
    new_since_last: seen ? !seen.has(identity.ref) : false,
    snapshot: JSON.stringify(snapshot),
    snapshot_hash: snapshotHash(snapshot),
    version: 0,
  };
}

function assignedEntry(
  campaign: StoredCampaign,
  row: ReturnType<typeof reviewItemRow>,
): LedgerDraft {
  return {
    kind: 'review.assigned',
    subject: row.identity_ref,
    payload: {
      campaignId: campaign.id,
      itemId: row.id,
      assignee: row.assignee,
      dueAt: row.due_at,
      snapshotHash: row.snapshot_hash,
      newSinceLastCampaign: row.new_since_last,
    },
  };
}

/**
 * Who decides: the owner, unless nobody can answer for it (no owner, or an owner missing from
 * the catalog), when security does.
 */
function assigneeOf(identity: IdentityView, securityGroup: string): string {
  const unowned = identity.status?.findings.some(
    f => f.code === 'owner-missing' || f.code === 'owner-orphaned',
  );
  return identity.owner && !unowned ? identity.owner : securityGroup;
}
