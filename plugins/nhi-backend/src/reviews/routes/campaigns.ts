import { NotAllowedError } from '@backstage/errors';
import { nhiCampaignManagePermission } from '@nhi-governance/plugin-nhi-common';
import { parseInput } from '../../http/validate';
import type { NhiApiRouter } from '../../schema/typedRouter';
import { listCampaignsQuery, startCampaignBody } from '../schemas';
import { parseBody, ReviewRouteContext } from './context';

/** Campaigns: anyone signed in reads them; security starts, opens, closes and cancels them. */
export function registerCampaignRoutes(
  router: NhiApiRouter,
  { httpAuth, holds, reviews, now, require }: ReviewRouteContext,
) {
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
