import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  nhiAdminReadPermission,
  nhiCampaignManagePermission,
  nhiReviewDecidePermission,
} from '@nhi-governance/plugin-nhi-common';
import { parseInput } from '../../http/validate';
import type { NhiApiRouter } from '../../schema/typedRouter';
import { actorOf, actsFor } from '../actor';
import { maySeeItem, noSuchItem } from '../itemVisibility';
import {
  decideBulkBody,
  decideOneBody,
  listItemsQuery,
  myItemsQuery,
  reassignmentBody,
} from '../schemas';
import { parseBody, ReviewRouteContext } from './context';

const ACTIVE_STATES = [
  'pending',
  'awaiting-reassignment',
  'escalated',
] as const;

/** Review items: reading them (each caller sees their own groups' items) and deciding them. */
export function registerReviewItemRoutes(
  router: NhiApiRouter,
  context: ReviewRouteContext,
) {
  const { httpAuth, userInfo, reviews, holds, person } = context;

  // Security sees every group's items; anyone else only those of their own groups.
  router.get('/campaigns/:id/items', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { state, group, newSinceLastCampaign, limit, offset } = parseInput(
      listItemsQuery,
      req.query,
      'query',
    );
    let assignees = group;
    if (!(await holds(credentials, nhiAdminReadPermission))) {
      const actor = await actorOf(credentials, userInfo);
      const foreign = (group ?? []).filter(g => !actsFor(actor, [g]));
      if (foreign.length) {
        throw new NotAllowedError(
          `Missing permission ${
            nhiAdminReadPermission.name
          } to see the items of ${foreign.join(', ')}`,
        );
      }
      assignees = group ?? actor.claims;
    }
    res.json(
      await reviews.items.list(
        { campaignId: req.params.id, assignees, state, newSinceLastCampaign },
        { limit, offset },
      ),
    );
  });

  router.get('/review-items/mine', async (req, res) => {
    const { actor } = await person(req);
    const { state, limit, offset } = parseInput(
      myItemsQuery,
      req.query,
      'query',
    );
    res.json(
      await reviews.items.list(
        {
          assignees: actor.claims,
          reassignTo: actor.claims,
          state: state ?? [...ACTIVE_STATES],
          openCampaigns: true,
        },
        { limit, offset },
      ),
    );
  });

  router.get('/review-items/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const details = await reviews.decisions.details(req.params.id);
    if (!(await holds(credentials, nhiAdminReadPermission))) {
      // As for identities: what the caller may not see does not exist for them.
      if (!maySeeItem(await actorOf(credentials, userInfo), false, details)) {
        throw noSuchItem(req.params.id);
      }
    }
    res.json(details);
  });

  registerDecisionRoutes(router, context);
}

/** Deciding items, one or many at once, and answering a reassignment. */
function registerDecisionRoutes(
  router: NhiApiRouter,
  { reviews, holds, identityRead, person, now }: ReviewRouteContext,
) {
  const authority = async (credentials: BackstageCredentials) => ({
    mayDecide: await identityRead.allowedFor(
      credentials,
      nhiReviewDecidePermission,
    ),
    isSecurity: await holds(credentials, nhiCampaignManagePermission),
    seesEveryItem: await holds(credentials, nhiAdminReadPermission),
  });

  router.post('/review-items/decisions', async (req, res) => {
    const { credentials, actor } = await person(req);
    const { justification, decisions } = parseBody(decideBulkBody, req.body);
    const decided = await reviews.decisions.decide(
      actor,
      await authority(credentials),
      decisions.map(d => ({ ...d, justification })),
      now(),
      { batch: true },
    );
    // A bulk decision gives every item the same batch id.
    res.json({ batchId: decided[0].batchId!, decisions: decided });
  });

  router.post('/review-items/:id/decision', async (req, res) => {
    const { credentials, actor } = await person(req);
    const input = parseBody(decideOneBody, req.body);
    const [decision] = await reviews.decisions.decide(
      actor,
      await authority(credentials),
      [{ itemId: req.params.id, ...input }],
      now(),
      { batch: false },
    );
    res.json(decision);
  });

  router.post('/review-items/:id/reassignment', async (req, res) => {
    const { actor, credentials } = await person(req);
    const { accept, justification } = parseBody(reassignmentBody, req.body);
    res.json(
      await reviews.decisions.respondToReassignment(
        actor,
        await holds(credentials, nhiAdminReadPermission),
        req.params.id,
        accept,
        justification,
        now(),
      ),
    );
  });
}
