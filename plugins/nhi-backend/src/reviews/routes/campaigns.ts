import { NotAllowedError } from '@backstage/errors';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  nhiAdminReadPermission,
  nhiCampaignManagePermission,
} from '@nhi-governance/plugin-nhi-common';
import { actorOf } from '../actor';
import { parseInput } from '../../http/validate';
import type { NhiApiRouter } from '../../schema/typedRouter';
import { listCampaignsQuery, startCampaignBody } from '../schemas';
import { parseBody, ReviewRouteContext } from './context';

/** Campaigns: anyone signed in reads them; security starts, opens, closes and cancels them. */
export function registerCampaignRoutes(
  router: NhiApiRouter,
  { httpAuth, userInfo, holds, reviews, now, require }: ReviewRouteContext,
) {
  /** The groups a signed-in person acts for; none for a machine principal. */
  const ownClaims = async (credentials: BackstageCredentials) =>
    (credentials.principal as { type?: string }).type === 'user'
      ? (await actorOf(credentials, userInfo)).claims
      : [];

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

  // Progress per group is security's rollup (nhi.admin.read); anyone else sees their own
  // groups' rows beside the campaign's overall progress.
  router.get('/campaigns/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const campaign = await reviews.campaigns.get(req.params.id, now());
    if (!(await holds(credentials, nhiAdminReadPermission))) {
      const claims = await ownClaims(credentials);
      campaign.byGroup = campaign.byGroup.filter(g => claims.includes(g.group));
    }
    res.json(campaign);
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

  // What the scheduler runs every few minutes, now: for security, and for tests. A service
  // may call it too, so the caller need not be a person.
  router.post('/reviews/sweep', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    if (!(await holds(credentials, nhiCampaignManagePermission))) {
      throw new NotAllowedError(
        `Missing permission ${nhiCampaignManagePermission.name}`,
      );
    }
    res.json(await reviews.sweeper.run(now()));
  });
}
