import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  nhiExceptionApprovePermission,
  nhiIdentityReadPermission,
  nhiReviewDecidePermission,
} from '@nhi-governance/plugin-nhi-common';
import type { Request } from 'express';
import { parseInput } from '../../http/validate';
import type { NhiApiRouter } from '../../schema/typedRouter';
import { actorOf } from '../actor';
import {
  approvalDecisionBody,
  approvalQueueQuery,
  decideExceptionBody,
  listExceptionsQuery,
  requestExceptionBody,
} from '../schemas';
import { parseBody, ReviewRouteContext } from './context';

/** Exceptions (accepted risks) and access approvals: requested by owners, decided by approvers. */
export function registerExceptionRoutes(
  router: NhiApiRouter,
  context: ReviewRouteContext,
) {
  const { httpAuth, userInfo, reviews, identityRead, person, now } = context;

  router.get('/exceptions', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { status, identity, mine } = parseInput(
      listExceptionsQuery,
      req.query,
      'query',
    );
    const isApprover = await identityRead.holdsAny(
      credentials,
      nhiExceptionApprovePermission,
    );
    const requestedBy =
      mine || !isApprover
        ? (await actorOf(credentials, userInfo)).userRef
        : undefined;
    res.json({
      items: await reviews.exceptions.list({ status, identity, requestedBy }),
    });
  });

  router.post('/exceptions', async (req, res) => {
    const { credentials, actor } = await person(req);
    const input = parseBody(requestExceptionBody, req.body);
    const may = {
      read: await identityRead.allowedFor(
        credentials,
        nhiIdentityReadPermission,
      ),
      request: await identityRead.allowedFor(
        credentials,
        nhiReviewDecidePermission,
      ),
    };
    res
      .status(201)
      .json(await reviews.exceptions.request(actor, may, input, now()));
  });

  for (const [verb, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    router.post(`/exceptions/:id/${verb}`, async (req, res) => {
      const { actor, mayApprove } = await approverOf(context, req);
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

  registerApprovalRoutes(router, context);
}

/** The person deciding, and which identities they may approve for (403 if none). */
async function approverOf(
  { person, identityRead }: ReviewRouteContext,
  req: Request<any, any, any, any>,
) {
  const { credentials, actor } = await person(req);
  const mayApprove = await identityRead.allowedFor(
    credentials,
    nhiExceptionApprovePermission,
  );
  return { actor, mayApprove };
}

function registerApprovalRoutes(
  router: NhiApiRouter,
  context: ReviewRouteContext,
) {
  const { httpAuth, reviews, identityRead, now } = context;

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
    const { actor, mayApprove } = await approverOf(context, req);
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
}
