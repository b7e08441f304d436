import type { NhiApiRouter } from '../../schema/typedRouter';
import { registerCampaignRoutes } from './campaigns';
import { reviewRouteContext, ReviewRouteOptions } from './context';
import { registerExceptionRoutes } from './exceptions';
import { registerReviewItemRoutes } from './items';

export type { ReviewRouteOptions } from './context';

/** The recertification endpoints: HTTP only, the rules live in the review services. */
export function registerReviewRoutes(
  router: NhiApiRouter,
  options: ReviewRouteOptions,
) {
  const context = reviewRouteContext(options);
  registerCampaignRoutes(router, context);
  registerReviewItemRoutes(router, context);
  registerExceptionRoutes(router, context);
}
