import { ApprovalService } from './ApprovalService';
import { CampaignService } from './CampaignService';
import { DecisionService } from './DecisionService';
import { ExceptionService } from './ExceptionService';
import { ReviewItemQueries } from './ReviewItemQueries';
import type { ReviewServiceDeps } from './ReviewServiceDeps';
import { ReviewSweeper } from './ReviewSweeper';

export type { ReviewServiceDeps } from './ReviewServiceDeps';
export { readReviewSettings } from './reviewSettings';
export type { ReviewSettings } from './reviewSettings';
export { ReviewNotifier } from './ReviewNotifier';

/** Everything recertification does, over one set of dependencies. */
export interface ReviewServices {
  campaigns: CampaignService;
  decisions: DecisionService;
  /** Pages of review items with their current decisions. */
  items: ReviewItemQueries;
  exceptions: ExceptionService;
  approvals: ApprovalService;
  sweeper: ReviewSweeper;
}

export function createReviewServices(deps: ReviewServiceDeps): ReviewServices {
  const campaigns = new CampaignService(deps);
  const decisions = new DecisionService(deps);
  return {
    campaigns,
    decisions,
    items: new ReviewItemQueries(deps.stores),
    exceptions: new ExceptionService(deps),
    approvals: new ApprovalService(deps),
    sweeper: new ReviewSweeper(deps, campaigns, decisions),
  };
}
