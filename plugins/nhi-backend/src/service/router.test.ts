import express from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { DateTime } from 'luxon';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import type { IdentityRecord } from '../engine/types';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import { DEFAULT_POLICY } from '../policy/Policy';
import { StatusRecomputer } from '../status/StatusRecomputer';
import { createRouter } from './router';

const identity = (
  name: string,
  extra: Partial<IdentityRecord> = {},
): IdentityRecord => ({
  ref: `machineidentity:default/${name}`,
  type: 'api-key',
  owner: 'group:default/payments',
  usedBy: ['component:default/payments-api'],
  environment: 'production',
  scopes: ['charges:write'],
  privilege: 'write',
  credential: { createdAt: '2026-10-01', lastRotatedAt: '2026-11-01' },
  approval: { approvedBy: 'user:default/sam', approvedAt: '2026-10-01' },
  ...extra,
});

describe('createRouter', () => {
  const databases = createTestDatabases();
  let knex: Knex;
  let app: express.Express;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    await new IdentityRegistry(knex).applySnapshot(
      'catalog',
      [
        identity('healthy'),
        identity('stale', {
          credential: { createdAt: '2023-01-01', lastRotatedAt: '2023-02-14' },
        }),
        identity('admin-key', {
          privilege: 'admin',
          type: 'ci-runner',
          owner: 'group:default/platform',
          usedBy: ['component:default/deploy'],
        }),
        identity('gone'),
      ],
      '2026-11-28T00:00:00.000Z',
    );
    await new IdentityRegistry(knex).applySnapshot(
      'catalog',
      [
        identity('healthy'),
        identity('stale', {
          credential: { createdAt: '2023-01-01', lastRotatedAt: '2023-02-14' },
        }),
        identity('admin-key', {
          privilege: 'admin',
          type: 'ci-runner',
          owner: 'group:default/platform',
          usedBy: ['component:default/deploy'],
        }),
      ],
      '2026-11-29T00:00:00.000Z',
    );
    await new StatusRecomputer(knex, DEFAULT_POLICY).recompute(
      {
        existingOwners: new Set([
          'group:default/payments',
          'group:default/platform',
        ]),
        entityStates: new Map([
          ['component:default/payments-api', 'active'],
          ['component:default/deploy', 'active'],
        ]),
      },
      DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' }),
    );
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    app = express()
      .use(await createRouter({ knex }))
      .use(middleware.error());
  });

  const names = (body: any) =>
    body.items.map((i: any) => i.ref.replace('machineidentity:default/', ''));

  it('answers the health check', async () => {
    const res = await request(app).get('/health');
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('lists present identities, riskiest first, with totals', async () => {
    const res = await request(app).get('/identities');
    expect(res.status).toBe(200);
    expect(res.body.totalItems).toBe(3);
    expect(names(res.body)[0]).toBe('admin-key');
    expect(res.body.items[0].status.findings.map((f: any) => f.code)).toContain(
      'overprivileged',
    );
  });

  it.each([
    ['owner=group:default/platform', ['admin-key']],
    ['usedBy=component:default/payments-api', ['healthy', 'stale']],
    ['rotation=overdue', ['stale']],
    ['finding=overprivileged,rotation-overdue', ['admin-key', 'stale']],
    [
      'type=api-key&type=ci-runner&sort=name&order=asc',
      ['admin-key', 'healthy', 'stale'],
    ],
    [
      'includeRemoved=true&sort=name&order=asc',
      ['admin-key', 'gone', 'healthy', 'stale'],
    ],
    ['sort=name&order=asc&limit=1&offset=1', ['healthy']],
  ])('filters and pages with %s', async (query, expected) => {
    const res = await request(app).get(`/identities?${query}`);
    expect(res.status).toBe(200);
    expect(names(res.body).sort()).toEqual([...expected].sort());
  });

  it.each([
    ['type=magic-key', 'type.0 must be one of service-account'],
    ['limit=0', 'limit must be at least 1'],
    ['limit=5000', 'limit must be at most 500'],
    ['offset=-1', 'offset must not be negative'],
    ['sort=colour', 'sort must be one of risk, name'],
    ['rotation=late', 'rotation.0 must be one of ok, due-soon'],
    ['ownr=group:default/payments', 'ownr is not a known query parameter'],
  ])('refuses %s with a 400 naming the field', async (query, message) => {
    const res = await request(app).get(`/identities?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });

  it('returns one identity with its status and its ledger entries', async () => {
    const res = await request(app).get('/identities/default/stale');
    expect(res.status).toBe(200);
    expect(res.body.identity.status.rotation.status).toBe('overdue');
    expect(res.body.ledger.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining([
        'identity.registered',
        'status.changed',
        'finding.opened',
      ]),
    );
  });

  it('keeps a removed identity readable, with the date it left', async () => {
    const res = await request(app).get('/identities/default/gone');
    expect(res.body.identity.removedAt).toBe('2026-11-29T00:00:00.000Z');
  });

  it('answers 404 for an identity it does not know', async () => {
    const res = await request(app).get('/identities/default/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('machineidentity:default/nope');
  });

  it('verifies the ledger, and reports the first entry edited in the database', async () => {
    expect((await request(app).get('/ledger/verify')).body).toMatchObject({
      ok: true,
    });
    await knex('nhi_ledger')
      .where({ seq: 3 })
      .update({ kind: 'identity.forged' });
    expect((await request(app).get('/ledger/verify')).body).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
    });
  });
});
