import request from 'supertest';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import {
  identityEntity,
  recordingLogger,
} from '../../__testUtils__/reviewBackend';
import { nhiPlugin } from '../../plugin';

jest.setTimeout(120_000);

const REF = 'machineidentity:default/pay-a';
const TOKEN = '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';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  },
  identityEntity('pay-a'),
];

/** The real plugin with every plugin sharing `events`, as the events service of one backend. */
async function startWithEvents(
  events: EventsService,
  options: { knex?: Knex; config?: object; logs?: string[] } = {},
) {
  return startTestBackend({
    features: [
      nhiPlugin,
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      recordingLogger(options.logs ?? []),
      mockServices.rootConfig.factory({
        data: {
          nhi: { reviews: { scheduleCampaigns: false }, ...options.config },
        },
      }),
      catalogServiceMock.factory({ entities }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
    ],
  });
}

describe('the events topic of a real nhi backend', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    const events = mockServices.events();
    const logs: string[] = [];
    // An hour ago: never in the future, and the same hour of day on every day below.
    const at = DateTime.utc().minus({ hours: 1 }).startOf('minute');
    const today = at.toISODate()!;

    const publish = (eventPayload: unknown) =>
      events.publish({ topic: 'nhi.events', eventPayload });
    const post = (body: unknown) =>
      request(backend.server)
        .post('/api/nhi/events')
        .set('Authorization', mockCredentials.service.header())
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
    const details = async () =>
      (
        await request(backend.server)
          .get('/api/nhi/identities/default/pay-a')
          .set('Authorization', mockCredentials.service.header())
      ).body;
    const usesOn = async (day: string) =>
      (await details()).usage.find((u: any) => u.day === day)?.uses ?? 0;
    const used = (id: string, occurredAt: DateTime, extra: object = {}) => ({
      id,
      type: 'used',
      occurredAt: occurredAt.toISO(),
      identity: { ref: REF },
      count: 40,
      sourceIp: '10.0.0.1',
      region: 'eu-west-1',
      ...extra,
    });
    /** What the backend warned or erred about its topic, in order. */
    const topicWarnings = () =>
      logs
        .map(l => JSON.parse(l))
        .filter(l => ['warn', 'error'].includes(l.level))
        .map(l => l.message as string)
        .filter(m => m.includes('topic'));
    /** Status is recomputed in the background: the findings once `code` shows. */
    const findingsWith = async (code: string) => {
      for (let i = 0; i < 100; i++) {
        const findings = (await details()).identity.status?.findings ?? [];
        if (findings.some((f: any) => f.code === code)) return findings;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`no ${code}: ${JSON.stringify(await details())}`);
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startWithEvents(events, { knex, logs });
      const refreshed = await request(backend.server)
        .post('/api/nhi/refresh')
        .set('Authorization', mockCredentials.service.header());
      if (refreshed.status !== 200) {
        throw new Error(`refresh: ${refreshed.status} ${refreshed.text}`);
      }
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('applies a published batch as POST /events does: stored, ledgered, and analysed', async () => {
      // Ten days in the usual place, at the usual hour: the identity's baseline.
      await publish({
        events: Array.from({ length: 10 }, (_, i) =>
          used(`usual-${i}`, at.minus({ days: i + 2 })),
        ),
      });
      await publish({
        events: [
          used('from-elsewhere', at, {
            count: 1,
            sourceIp: '203.0.113.9',
            region: 'ap-southeast-1',
          }),
          {
            id: 'rotated-1',
            type: 'rotated',
            occurredAt: at.toISO(),
            identity: { ref: REF },
            actor: 'vault-rotator',
          },
        ],
      });
      expect(await usesOn(today)).toBe(1);
      expect(await usesOn(at.minus({ days: 2 }).toISODate()!)).toBe(40);
      const { events: stored, ledger } = await details();
      expect(stored.map((e: any) => e.id)).toContain('rotated-1');
      expect(
        ledger
          .filter((e: any) => e.kind === 'event.ingested')
          .map((e: any) => e.payload.id),
      ).toEqual(['rotated-1']);
      // The usage analysis the HTTP route starts ran too: a new address and region.
      const anomaly = (await findingsWith('anomaly')).find(
        (f: any) => f.code === 'anomaly',
      );
      expect(anomaly.evidence).toMatchObject({
        days: [today],
        newAddresses: ['203.0.113.9'],
        newRegions: ['ap-southeast-1'],
      });
      expect(topicWarnings()).toEqual([]);
    });

    it('counts each event once, however often it is published and whichever door it came by', async () => {
      const before = await usesOn(today);
      const ledgerBefore = (await details()).ledger.length;
      const batch = {
        events: [
          used('twice-1', at, { count: 3 }),
          used('twice-2', at, { count: 5 }),
          {
            id: 'rotated-2',
            type: 'rotated',
            occurredAt: at.toISO(),
            identity: { ref: REF },
          },
        ],
      };
      await Promise.all([publish(batch), publish(batch), publish(batch)]);
      const http = await post(batch);
      expect(http.body).toEqual({ accepted: 0, duplicates: 3 });
      await publish(batch);
      expect(await usesOn(today)).toBe(before + 3 + 5);
      const { ledger } = await details();
      expect(
        ledger.filter(
          (e: any) =>
            e.kind === 'event.ingested' && e.payload.id === 'rotated-2',
        ),
      ).toHaveLength(1);
      // One entry for the rotation and one usage summary: nothing for the repeats.
      expect(ledger.length - ledgerBefore).toBeLessThanOrEqual(2);
    });

    it('drops a bad payload with the message POST /events answers, naming the topic, storing nothing and logging no secret', async () => {
      const bad: unknown[] = [
        { nope: true },
        ['not', 'a', 'batch'],
        { events: [] },
        { events: [used('bad-type', at, { type: 'borrowed' })] },
        { events: [used('unknown', at, { identity: { ref: `${REF}-gone` } })] },
        { events: [used('secret', at, { actor: TOKEN })] },
        { events: [used('nul\u0000id', at)] },
        {
          events: [used('ok-but-not-alone', at), used('x', at, { count: -1 })],
        },
      ];
      const before = await details();
      logs.length = 0;
      for (const payload of bad) {
        await expect(publish(payload)).resolves.toBeUndefined();
      }
      const warnings = topicWarnings();
      expect(warnings).toHaveLength(bad.length);
      for (const [i, payload] of bad.entries()) {
        const answer = await post(payload);
        expect(answer.status).toBe(400);
        expect(warnings[i]).toBe(
          `Dropped an event batch published on topic "nhi.events": ${answer.body.error.message}`,
        );
      }
      // Only a module can publish what no HTTP body is: a bare string.
      logs.length = 0;
      await publish('not a batch');
      expect(topicWarnings()).toEqual([
        expect.stringMatching(
          /^Dropped an event batch published on topic "nhi\.events": Invalid event batch: body /,
        ),
      ]);
      expect(logs.join('\n')).not.toContain(TOKEN);
      const after = await details();
      expect(after.usage).toEqual(before.usage);
      expect(after.events).toEqual(before.events);
      expect(after.ledger).toEqual(before.ledger);
    });
  });

  it('subscribes to the configured topic, and to none when it is false', async () => {
    const subscribed = async (config: object) => {
      const events = mockServices.events.mock();
      const backend = await startWithEvents(events, { config });
      await backend.stop();
      return events.subscribe.mock.calls
        .map(([options]) => options)
        .filter(options => options.id === 'nhi-events')
        .map(options => options.topics);
    };
    expect(await subscribed({})).toEqual([['nhi.events']]);
    expect(await subscribed({ events: { topic: 'machine-usage' } })).toEqual([
      ['machine-usage'],
    ]);
    expect(await subscribed({ events: { topic: false } })).toEqual([]);
  });
});
