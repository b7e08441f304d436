import { createStores } from '../wiring/createStores';
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
import { DateTime } from 'luxon';
import { EventBatchError } from '../events/EventBatchError';
import { RouterOptions, createRouter } from './router';

describe('createRouter', () => {
  const databases = createTestDatabases();
  let knex: Knex;
  let app: express.Express;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    await applyDatabaseMigrations(knex);
    await new IdentityRegistry(createStores(knex)).applySnapshot(
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
    await new IdentityRegistry(createStores(knex)).applySnapshot(
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
    await new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
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
    overrides: Partial<RouterOptions> = {},
  ) {
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    return express()
      .use(
        await createRouter({
          stores: createStores(knex),
          httpAuth: mockServices.httpAuth(),
          permissions,
          userInfo: mockServices.userInfo(),
          reviews: {} as any,
          evidence: {} as any,
          discovery: {} as any,
          ingestor: new EventIngestor(createStores(knex)),
          refresher: {
            queueIdentities: refs => {
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
          ...overrides,
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
    ['review=late', 'review.0 must be one of current, due, overdue'],
    ['review=current,approved', 'review.1 must be one of current'],
    ['compliant=yes', 'compliant must be true or false'],
    ['compliant=true&compliant=false', 'compliant must be true or false'],
    ['includeRemoved=1', 'includeRemoved must be true or false'],
  ])('refuses %s with a 400 naming the field', async (query, message) => {
    for (const path of [
      '/identities',
      '/entities/component/default/payments-api/identities',
    ]) {
      const res = await request(app).get(`${path}?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(message);
    }
  });

  describe('review and compliance filters', () => {
    const compliance = async () =>
      Object.fromEntries(
        (await knex('nhi_identities').select('name', 'compliant')).map(r => [
          r.name,
          r.compliant === null ? null : Boolean(r.compliant),
        ]),
      );

    it.each(['true', 'false'])(
      'lists the identities with compliant=%s, as the status engine stored them',
      async value => {
        const stored = await compliance();
        const expected = Object.keys(stored)
          .filter(n => n !== 'gone' && stored[n] === (value === 'true'))
          .sort();
        const res = await request(app).get(
          `/identities?compliant=${value}&sort=name&order=asc`,
        );
        expect(res.status).toBe(200);
        expect(names(res.body)).toEqual(expected);
        expect(res.body.totalItems).toBe(expected.length);
      },
    );

    it('sets compliant=false apart from compliant=true', async () => {
      const yes = await request(app).get('/identities?compliant=true');
      const no = await request(app).get('/identities?compliant=false');
      expect(names(yes.body)).not.toContain('stale');
      expect(names(no.body)).toContain('stale');
      expect(yes.body.totalItems + no.body.totalItems).toBe(3);
    });

    it('filters by review status, on lists and on entity lists', async () => {
      await knex('nhi_identities')
        .where({ name: 'stale' })
        .update({ review_status: 'overdue' });
      try {
        for (const path of [
          '/identities',
          '/entities/component/default/payments-api/identities',
        ]) {
          const res = await request(app).get(`${path}?review=overdue,due`);
          expect(res.status).toBe(200);
          expect(names(res.body)).toEqual(['stale']);
        }
        const entity = await request(app).get(
          '/entities/group/default/platform/identities?review=overdue',
        );
        expect(entity.body.totalItems).toBe(0);
      } finally {
        await knex('nhi_identities')
          .where({ name: 'stale' })
          .update({ review_status: 'never-reviewed' });
      }
    });

    it('combines compliant with the entity an identity is attached to', async () => {
      const res = await request(app).get(
        '/entities/component/default/payments-api/identities?compliant=false',
      );
      expect(res.status).toBe(200);
      expect(names(res.body)).toContain('stale');
      expect(names(res.body)).not.toContain('admin-key');
    });
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

  describe('POST /refresh', () => {
    it('answers 200 once the refresh is done, so that its result is visible', async () => {
      // A refresh that takes a while and changes an identity, as a catalog sync would.
      const slowSync = await appWith(mockServices.permissions(), {
        refresher: {
          queueIdentities: () => {},
          refreshAll: async () => {
            await new Promise(resolve => setTimeout(resolve, 50));
            await knex('nhi_identities')
              .where({ name: 'healthy' })
              .update({ purpose: 'Refreshed from the catalog' });
          },
        },
      });
      try {
        const res = await request(slowSync).post('/refresh');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'refreshed' });
        const after = await request(slowSync).get(
          '/identities/default/healthy',
        );
        expect(after.body.identity.purpose).toBe('Refreshed from the catalog');
      } finally {
        await knex('nhi_identities')
          .where({ name: 'healthy' })
          .update({ purpose: null });
      }
    });

    it('refreshes everything for an administrator', async () => {
      const res = await request(app).post('/refresh');
      expect(res.status).toBe(200);
      expect(refreshed.pop()).toEqual(['*']);
    });

    it('refuses a user without nhi.admin.read, and refreshes nothing', async () => {
      const calls = refreshed.length;
      const denied = await appWith(
        mockServices.permissions.mock({
          authorize: async () => [{ result: AuthorizeResult.DENY }],
        }) as any,
      );
      const res = await request(denied)
        .post('/refresh')
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('nhi.admin.read');
      expect(refreshed.length).toBe(calls);
    });
  });

  it('returns one identity with its status and its ledger entries', async () => {
    const res = await request(app).get('/identities/default/stale');
    expect(res.status).toBe(200);
    expect(res.body.identity.status.rotation.status).toBe('overdue');
    expect(res.body.ledger.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining(['identity.registered', 'status.changed']),
    );
    expect(
      res.body.ledger.every(
        (e: any) => e.subject === 'machineidentity:default/stale',
      ),
    ).toBe(true);
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

  describe('event history of one identity', () => {
    const ago = (days: number) =>
      DateTime.utc().minus({ days }).startOf('hour').toISO()!;
    const send = (events: object[]) =>
      request(app)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send({ events });
    const ref = { ref: 'machineidentity:default/admin-key' };

    beforeAll(async () => {
      const res = await send([
        {
          id: 'hist-issued',
          type: 'issued',
          occurredAt: ago(40),
          identity: ref,
        },
        {
          id: 'hist-rotated',
          type: 'rotated',
          occurredAt: ago(3),
          identity: ref,
          actor: 'user:default/sam',
        },
        {
          id: 'hist-login',
          type: 'interactive-login',
          occurredAt: ago(10),
          identity: ref,
          sourceIp: '10.9.8.7',
        },
        {
          id: 'hist-used-1',
          type: 'used',
          occurredAt: ago(1),
          identity: ref,
          count: 5,
        },
        {
          id: 'hist-used-2',
          type: 'used',
          occurredAt: ago(1),
          identity: ref,
          count: 2,
        },
        {
          id: 'hist-fail',
          type: 'auth-failed',
          occurredAt: ago(2),
          identity: ref,
        },
        { id: 'hist-old', type: 'used', occurredAt: ago(120), identity: ref },
      ]);
      if (res.status !== 200) {
        throw new Error(`events refused: ${JSON.stringify(res.body)}`);
      }
    });

    it('returns the lifecycle events, newest first', async () => {
      const res = await request(app).get('/identities/default/admin-key');
      expect(res.status).toBe(200);
      expect(
        res.body.events.map((e: any) => [e.id, e.type, e.occurredAt]),
      ).toEqual([
        ['hist-rotated', 'rotated', ago(3)],
        ['hist-login', 'interactive-login', ago(10)],
        ['hist-issued', 'issued', ago(40)],
      ]);
      expect(res.body.events[0]).toMatchObject({
        receivedAt: expect.any(String),
        attributes: { actor: 'user:default/sam' },
      });
    });

    it('returns the daily usage of the last 90 days, newest first', async () => {
      const res = await request(app).get('/identities/default/admin-key');
      expect(
        res.body.usage.map((u: any) => [u.day, u.uses, u.authFailures]),
      ).toEqual([
        [ago(1).slice(0, 10), 7, 0],
        [ago(2).slice(0, 10), 0, 1],
      ]);
    });

    it('keeps the ledger beside them, and gives an identity without events empty lists', async () => {
      const res = await request(app).get('/identities/default/healthy');
      expect(res.body).toEqual({
        identity: expect.objectContaining({
          ref: 'machineidentity:default/healthy',
        }),
        events: [],
        usage: expect.any(Array),
        ledger: expect.arrayContaining([
          expect.objectContaining({ kind: 'identity.registered' }),
        ]),
        sources: [],
      });
    });
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

    it('answers a refused batch with the standard error body and every problem by index', async () => {
      const problems = [
        {
          index: 0,
          reason: 'events[0].identity names no known machine identity',
        },
        { index: 2, reason: 'events[2].type must be one of issued, rotated' },
      ];
      const refusing = await appWith(mockServices.permissions(), {
        ingestor: {
          ingest: async () => {
            throw new EventBatchError(
              'Refused 2 of 3 events; nothing was applied: …',
              problems,
            );
          },
        } as any,
      });
      const res = await request(refusing)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send(batch);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: {
          name: 'InputError',
          message: 'Refused 2 of 3 events; nothing was applied: …',
        },
        request: { method: 'POST', url: '/events' },
        response: { statusCode: 400 },
        items: problems,
      });
    });

    it('answers any other error of the ingestor as the error handler does', async () => {
      const failing = await appWith(mockServices.permissions(), {
        ingestor: {
          ingest: async () => {
            throw new Error('database is down');
          },
        } as any,
      });
      const res = await request(failing)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send(batch);
      expect(res.status).toBe(500);
      expect(res.body.items).toBeUndefined();
    });

    it('lists each refused event of a real batch by index, and applies none of it', async () => {
      const good = { ...batch.events[0], id: 'evt-good-in-bad-batch' };
      const unknown = {
        ...batch.events[0],
        id: 'evt-unknown',
        identity: { ref: 'machineidentity:default/nope' },
      };
      const res = await request(app)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send({ events: [good, unknown] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: {
          name: 'InputError',
          message: expect.stringContaining('Refused 1 of 2 events'),
        },
        request: { method: 'POST', url: '/events' },
        response: { statusCode: 400 },
      });
      expect(res.body.items).toEqual([
        { index: 1, reason: expect.stringContaining('events[1].identity') },
      ]);
      // The good event was not applied: sent alone, it is new.
      const again = await request(app)
        .post('/events')
        .set('Authorization', mockCredentials.service.header())
        .send({ events: [good] });
      expect(again.body).toEqual({ accepted: 1, duplicates: 0 });
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

    it('shows one identity to its owner', async () => {
      const asPlatform = await ownerOnly(['group:default/platform']);
      const res = await request(asPlatform).get(
        '/identities/default/admin-key',
      );
      expect(res.status).toBe(200);
      expect(res.body.identity.ref).toBe('machineidentity:default/admin-key');
    });

    it('answers an identity the caller may not read exactly as one that does not exist', async () => {
      const asPlatform = await ownerOnly(['group:default/platform']);
      // `stale` exists (payments owns it); `ghost` does not.
      const hidden = await request(asPlatform).get('/identities/default/stale');
      const missing = await request(asPlatform).get(
        '/identities/default/ghost',
      );
      expect((await request(app).get('/identities/default/stale')).status).toBe(
        200,
      );
      for (const res of [hidden, missing]) {
        expect(res.status).toBe(404);
        expect(res.body.error.name).toBe('NotFoundError');
      }
      const anonymised = (res: request.Response) =>
        JSON.stringify(res.body).replace(/stale|ghost/g, 'NAME');
      expect(anonymised(hidden)).toEqual(anonymised(missing));
      expect(hidden.body.error.message).toBe(
        'No machine identity machineidentity:default/stale',
      );
    });

    it('refuses one identity to a caller who may read none, whether or not it exists', async () => {
      const denied = await appWith(
        mockServices.permissions.mock({
          authorizeConditional: async () => [{ result: AuthorizeResult.DENY }],
        }) as any,
      );
      for (const name of ['stale', 'ghost']) {
        const res = await request(denied).get(`/identities/default/${name}`);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(
          'Missing permission nhi.identity.read',
        );
      }
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
