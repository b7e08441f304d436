import type { ReviewDecision } from '@nhi-governance/plugin-nhi-common';
import type { StoredReviewItem } from '../store/ReviewItemStore';

/** A review item as the API shows it: without the bookkeeping a reviewer has no use for. */
export function publicItem(item: StoredReviewItem, decision?: ReviewDecision) {
  const { approvedBy: _a, version: _v, campaignStatus: _s, ...rest } = item;
  return { ...rest, ...(decision ? { decision } : {}) };
}
