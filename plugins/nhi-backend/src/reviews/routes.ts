import type {
  BackstageCredentials,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  nhiAdminReadPermission,
  nhiCampaignManagePermission,
  nhiExceptionApprovePermission,
  nhiReviewDecidePermission,
} from '@nhi-governance/plugin-nhi-common';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type { Request, Router } from 'express';
import { DateTime } from 'luxon';
import type { z } from 'zod';

import type { IdentityReadAuthorizer } from '../permissions/authorizeIdentityRead';
import { actorOf, actsFor } from './actor';
import { publicItem } from './DecisionService';
import type { ReviewServices } from '.';
import {
  approvalDecisionBody,
  approvalQueueQuery,
  decideBulkBody,
  decideExceptionBody,
  decideOneBody,
  listCampaignsQuery,
  listExceptionsQuery,
  listItemsQuery,
  myItemsQuery,
  reassignmentBody,
  requestExceptionBody,
  startCampaignBody,
} from './schemas';
import { parseInput } from '../http/validate';
import type { NhiStores } from '../database/NhiStores';
import type { ReviewItemStore } from './store/ReviewItemStore';

export interface ReviewRouteOptions {
  stores: NhiStores;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  reviews: ReviewServices;
  identityRead: Pick<
    IdentityReadAuthorizer,
    'allowedFor' | 'visibleTo' | 'holdsAny'
  >;
  /** Whether the caller holds a basic permission. */
  holds(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<boolean>;
}

/** A body, parsed; the edge (screenRequests) has screened its text and scanned it for secrets. */
function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  return parseInput(schema, body ?? {}, 'body');
}

const ACTIVE_STATES = [
  'pending',
  'awaiting-reassignment',
  'escalated',
] as const;

/** The recertification endpoints: HTTP only, the rules live in the review services. */
export function registerReviewRoutes(
  router: Router,
  options: ReviewRouteOptions,
) {
  const { stores, httpAuth, userInfo, reviews, identityRead, holds } = options;
  const now = () => DateTime.utc();

  /** The signed-in person, refused (403) for a machine principal. */
  const person = async (req: Request) => {
    const credentials = await httpAuth.credentials(req);
    return { credentials, actor: await actorOf(credentials, userInfo) };
  };
  const require = async (req: Request, permission: BasicPermission) => {
    const found = await person(req);
    if (!(await holds(found.credentials, permission))) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
    return found;
  };

  router.get('/campaigns', async (req, res) => {
    await httpAuth.credentials(req);
    const { status } = parseInput(listCampaignsQuery, req.query, 'query');
    res.json({ items: await reviews.campaigns.list(now(), status) });
  });

  router.post('/campaigns', async (req, res) => {
    const { actor } = await require(req, nhiCampaignManagePermission);
    const input = parseBody(startCampaignBody, req.body);
    res.status(201).json(await reviews.campaigns.start(input, actor, now()));
  });

  router.get('/campaigns/:id', async (req, res) => {
    await httpAuth.credentials(req);
    res.json(await reviews.campaigns.get(req.params.id, now()));
  });

  router.post('/campaigns/:id/open', async (req, res) => {
    await require(req, nhiCampaignManagePermission);
    res.json(await reviews.campaigns.open(req.params.id, now()));
  });

  router.post('/campaigns/:id/close', async (req, res) => {
    const { actor } = await require(req, nhiCampaignManagePermission);
    res.json(await reviews.campaigns.close(req.params.id, actor, now()));
  });

  router.post('/campaigns/:id/cancel', async (req, res) => {
    const { actor } = await require(req, nhiCampaignManagePermission);
    res.json(await reviews.campaigns.cancel(req.params.id, actor, now()));
  });

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
    const page = await stores.reviewItems.listReviewItems(
      { campaignId: req.params.id, assignees, state, newSinceLastCampaign },
      { limit, offset },
    );
    res.json(await withDecisions(page));
  });

  router.get('/review-items/mine', async (req, res) => {
    const { actor } = await person(req);
    const { state, limit, offset } = parseInput(
      myItemsQuery,
      req.query,
      'query',
    );
    const page = await stores.reviewItems.listReviewItems(
      {
        assignees: actor.claims,
        reassignTo: actor.claims,
        state: state ?? [...ACTIVE_STATES],
        openCampaigns: true,
      },
      { limit, offset },
    );
    res.json(await withDecisions(page));
  });

  router.get('/review-items/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const details = await reviews.decisions.details(req.params.id);
    if (!(await holds(credentials, nhiAdminReadPermission))) {
      const actor = await actorOf(credentials, userInfo);
      if (
        !actsFor(actor, [
          details.assignee,
          details.backupOwner,
          details.reassignTo,
        ])
      ) {
        // As for identities: what the caller may not see does not exist for them.
        throw new NotFoundError(`No review item ${req.params.id}`);
      }
    }
    res.json(details);
  });

  const authority = async (credentials: BackstageCredentials) => ({
    mayDecide: await identityRead.allowedFor(
      credentials,
      nhiReviewDecidePermission,
    ),
    isSecurity: await holds(credentials, nhiCampaignManagePermission),
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
    res.json({ batchId: decided[0].batchId, decisions: decided });
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
    const { actor } = await person(req);
    const { accept, justification } = parseBody(reassignmentBody, req.body);
    res.json(
      await reviews.decisions.respondToReassignment(
        actor,
        req.params.id,
        accept,
        justification,
        now(),
      ),
    );
  });

  router.get('/exceptions', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { status, identity, mine } = parseInput(
      listExceptionsQuery,
      req.query,
      'query',
    );
    const approver = await identityRead.holdsAny(
      credentials,
      nhiExceptionApprovePermission,
    );
    const requestedBy =
      mine || !approver
        ? (await actorOf(credentials, userInfo)).userRef
        : undefined;
    res.json({
      items: await reviews.exceptions.list({ status, identity, requestedBy }),
    });
  });

  router.post('/exceptions', async (req, res) => {
    const { credentials, actor } = await person(req);
    const input = parseBody(requestExceptionBody, req.body);
    const mayRequest = await identityRead.allowedFor(
      credentials,
      nhiReviewDecidePermission,
    );
    res
      .status(201)
      .json(await reviews.exceptions.request(actor, mayRequest, input, now()));
  });

  /** The person deciding, and which identities they may approve for (403 if none). */
  const approver = async (req: Request) => {
    const { credentials, actor } = await person(req);
    const mayApprove = await identityRead.allowedFor(
      credentials,
      nhiExceptionApprovePermission,
    );
    return { actor, mayApprove };
  };

  for (const [verb, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    router.post(`/exceptions/:id/${verb}`, async (req, res) => {
      const { actor, mayApprove } = await approver(req);
      const { reason } = parseBody(decideExceptionBody, req.body);
      res.json(
        await reviews.exceptions.decide(
          actor,
          mayApprove,
          req.params.id,
          approve,
          reason,
          now(),
        ),
      );
    });
  }

  // The queue holds only the identities the caller may approve, filtered in SQL.
  router.get('/approvals', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const approvable = await identityRead.visibleTo(
      credentials,
      nhiExceptionApprovePermission,
    );
    res.json(
      await reviews.approvals.queue(
        parseInput(approvalQueueQuery, req.query, 'query'),
        approvable,
      ),
    );
  });

  router.post('/approvals/:namespace/:name', async (req, res) => {
    const { actor, mayApprove } = await approver(req);
    const input = parseBody(approvalDecisionBody, req.body);
    const ref = stringifyEntityRef({
      kind: 'MachineIdentity',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    res.json(
      await reviews.approvals.decide(actor, mayApprove, ref, input, now()),
    );
  });

  // What the scheduler runs every few minutes, now: for security, and for tests.
  router.post('/reviews/sweep', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    if (!(await holds(credentials, nhiCampaignManagePermission))) {
      throw new NotAllowedError(
        `Missing permission ${nhiCampaignManagePermission.name}`,
      );
    }
    res.json(await reviews.sweeper.run(now()));
  });

  /** Review items as served: each with its current decision. */
  async function withDecisions(
    page: Awaited<ReturnType<ReviewItemStore['listReviewItems']>>,
  ) {
    const history = await stores.reviewItems.readDecisionHistory(
      page.items.map(i => i.id),
    );
    return {
      totalItems: page.totalItems,
      items: page.items.map(item => {
        const versions = history.get(item.id)!;
        return publicItem(item, versions[versions.length - 1]);
      }),
    };
  }
}
