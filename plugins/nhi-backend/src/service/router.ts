import { NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import type { Knex } from 'knex';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { listIdentities, toView } from '../database/identityQueries';
import { readIdentity } from '../database/identityTable';
import {
  readLedger,
  readLedgerFor,
  readLedgerHead,
} from '../database/ledgerTable';
import { verifyChain } from '../ledger/chain';
import { listIdentitiesQuery } from './schemas';
import { parseInput } from './validate';

export interface RouterOptions {
  knex: Knex;
}

/** HTTP only: parse, call the store, answer. Rules live in the services behind it. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { knex } = options;
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/identities', async (req, res) => {
    const { sort, order, limit, offset, ...filter } = parseInput(
      listIdentitiesQuery,
      req.query,
      'query',
    );
    res.json(
      await listIdentities(knex, filter, { sort, order, limit, offset }),
    );
  });

  router.get('/identities/:namespace/:name', async (req, res) => {
    const ref = stringifyEntityRef({
      kind: 'MachineIdentity',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const stored = await readIdentity(knex, ref);
    if (!stored) {
      throw new NotFoundError(`No machine identity ${ref}`);
    }
    res.json({
      identity: toView(stored),
      ledger: await readLedgerFor(knex, ref),
    });
  });

  router.get('/ledger/verify', async (_req, res) => {
    res.json(await verifyChain(readLedger(knex), await readLedgerHead(knex)));
  });

  return router;
}
