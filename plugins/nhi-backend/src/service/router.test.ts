import { TEST_NOW, anIdentity as identity } from '../__testUtils__/fixtures';
import express from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import { DEFAULT_POLICY } from '../policy/Policy';
import { StatusRecomputer } from '../status/StatusRecomputer';
import { EventIngestor } from '../events/EventIngestor';
import { IdentityReadAuthorizer } from '../permissions/authorizeIdentityRead';
import {
  identityRuleset,
  nhiIdentityConditions,
  createNhiIdentityConditionalDecision,
} from '../permissions/identityResource';
import { nhiIdentityReadPermission } from '@nhi-governance/plugin-nhi-common';
import { createRouter } from './router';

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
      TEST_NOW,
    );
    app = await appWith(mockServices.permissions());
  });

  const refreshed: string[][] = [];
  async function appWith(
    permissions: ReturnType<typeof mockServices.permissions>,
  ) {
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    return express()
      .use(
        await createRouter({
          knex,
          httpAuth: mockServices.httpAuth(),
          permissions,
          ingestor: new EventIngestor(knex),
          refresher: {
            refreshIdentities: async refs => {
              refreshed.push(refs);
            },
            refreshAll: async () => {
              refreshed.push(['*']);
            },
          },
          identityRead: new IdentityReadAuthorizer(
            permissions,
            identityRuleset as any,
          ),
        }),
      )
      .use(middleware.error());
  }

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

  it.each([
    ['component/default/payments-api', ['healthy', 'stale']],
    ['group/default/platform', ['admin-key']],
    ['Component/default/deploy', ['admin-key']],
    ['system/default/none', []],
  ])('lists the identities attached to %s', async (entity, expected) => {
    const res = await request(app).get(
      `/entities/${entity}/identities?sort=name&order=asc`,
    );
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(expected);
  });

  it('refreshes on demand for an administrator', async () => {
    const res = await request(app).post('/refresh');
    expect(res.status).toBe(202);
    expect(refreshed.pop()).toEqual(['*']);
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

  describe('POST /events', () => {
    const batch = {
      events: [
        {
          id: 'evt-1',
          type: 'used',
          occurredAt: '2026-11-28T08:00:00Z',
          identity: { ref: 'machineidentity:default/healthy' },
        },
      ],
    };

    it('takes a batch from a backend service and refreshes the identities it touched', async () => {
      const res = await request(app)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send(batch);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accepted: 1, duplicates: 0 });
      expect(refreshed.pop()).toEqual(['machineidentity:default/healthy']);
    });

    it('refuses people: events come from machines', async () => {
      const res = await request(app)
        .post('/events')
        .set('Authorization', mockCredentials.user.header())
        .send(batch);
      expect(res.status).toBe(403);
    });

    it('refuses a service without the ingest permission', async () => {
      const denied = await appWith(
        mockServices.permissions.mock({
          authorize: async () => [{ result: AuthorizeResult.DENY }],
        }) as any,
      );
      const res = await request(denied)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send(batch);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('nhi.events.ingest');
    });

    it('answers 400 listing each bad event', async () => {
      const res = await request(app)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send({ events: [{ ...batch.events[0], type: 'deleted' }] });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('events[0].type must be one of');
    });
  });

  describe('read permission', () => {
    const ownerOnly = (claims: string[]) =>
      appWith(
        mockServices.permissions.mock({
          authorizeConditional: async () => [
            createNhiIdentityConditionalDecision(
              nhiIdentityReadPermission,
              nhiIdentityConditions.isIdentityOwner({ claims }),
            ),
          ],
        }) as any,
      );

    it('lists only what an owner may see, filtered in the query with right totals', async () => {
      const res = await request(
        await ownerOnly(['group:default/platform']),
      ).get('/identities');
      expect(res.body.totalItems).toBe(1);
      expect(names(res.body)).toEqual(['admin-key']);
    });

    it('refuses one identity to someone who does not own it, and shows it to its owner', async () => {
      const asPlatform = await ownerOnly(['group:default/platform']);
      expect(
        (await request(asPlatform).get('/identities/default/stale')).status,
      ).toBe(403);
      expect(
        (await request(asPlatform).get('/identities/default/admin-key')).status,
      ).toBe(200);
    });

    it('refuses everything to a caller without the permission', async () => {
      const denied = await appWith(
        mockServices.permissions.mock({
          authorizeConditional: async () => [{ result: AuthorizeResult.DENY }],
        }) as any,
      );
      const res = await request(denied).get('/identities');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('nhi.identity.read');
    });
  });
});
