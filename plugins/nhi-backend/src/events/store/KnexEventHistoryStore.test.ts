import { createStores } from '../../wiring/createStores';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import {
  EVENT_HISTORY_LIMIT,
  USAGE_HISTORY_DAYS,
} from './KnexEventHistoryStore';
import { applyDatabaseMigrations } from '../../database/migrations';

jest.setTimeout(60_000);

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });
const A = 'machineidentity:default/a';
const B = 'machineidentity:default/b';

const at = (daysAgo: number, hour = 8) =>
  NOW.minus({ days: daysAgo }).set({ hour, minute: 0 }).toISO()!;
const day = (daysAgo: number) => NOW.minus({ days: daysAgo }).toISODate()!;

describe('readIdentityHistory', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
    });

    const event = (
      id: string,
      ref: string,
      type: string,
      occurredAt: string,
      attributes: object = {},
    ) => ({
      id,
      identity_ref: ref,
      type,
      occurred_at: occurredAt,
      received_at: NOW.toISO()!,
      attributes: JSON.stringify(attributes),
    });

    const usage = (ref: string, daysAgo: number, uses: number) => ({
      identity_ref: ref,
      day: day(daysAgo),
      uses,
      auth_failures: daysAgo === 1 ? 3 : 0,
      last_used_at: uses > 0 ? at(daysAgo, 17) : null,
      sources: JSON.stringify(['10.1.2.3 eu-west-1']),
    });

    it("returns one identity's lifecycle events, newest first, with their attributes", async () => {
      await knex('nhi_events').insert([
        event('issued-1', A, 'issued', at(200)),
        event('rotated-1', A, 'rotated', at(2), { actor: 'user:default/sam' }),
        event('login-1', A, 'interactive-login', at(5), {
          sourceIp: '10.9.8.7',
        }),
        event('rotated-b', B, 'rotated', at(1)),
        // A credential declared by A and B: stored once per identity, known by its own id.
        event(`revoked-1#${A}`, A, 'revoked', at(0)),
        event(`revoked-1#${B}`, B, 'revoked', at(0)),
      ]);

      const { events } = await createStores(
        knex,
      ).eventHistory.readIdentityHistory(A, NOW);

      expect(events.map(e => [e.id, e.type, e.occurredAt])).toEqual([
        ['revoked-1', 'revoked', at(0)],
        ['rotated-1', 'rotated', at(2)],
        ['login-1', 'interactive-login', at(5)],
        ['issued-1', 'issued', at(200)],
      ]);
      expect(events[1]).toEqual({
        id: 'rotated-1',
        type: 'rotated',
        occurredAt: at(2),
        receivedAt: NOW.toISO(),
        attributes: { actor: 'user:default/sam' },
      });
    });

    it(`keeps the newest ${EVENT_HISTORY_LIMIT} events`, async () => {
      const rows = Array.from({ length: EVENT_HISTORY_LIMIT + 20 }, (_, i) =>
        event(`e-${i}`, A, 'rotated', NOW.minus({ hours: i }).toISO()!),
      );
      await knex.batchInsert('nhi_events', rows, 50);

      const { events } = await createStores(
        knex,
      ).eventHistory.readIdentityHistory(A, NOW);

      expect(events).toHaveLength(EVENT_HISTORY_LIMIT);
      expect(events[0].id).toBe('e-0');
      expect(events[EVENT_HISTORY_LIMIT - 1].id).toBe(
        `e-${EVENT_HISTORY_LIMIT - 1}`,
      );
    });

    it(`returns the daily usage of the last ${USAGE_HISTORY_DAYS} days, newest first`, async () => {
      await knex('nhi_usage_daily').insert([
        usage(A, 0, 4),
        usage(A, 1, 0),
        usage(A, USAGE_HISTORY_DAYS - 1, 7),
        usage(A, USAGE_HISTORY_DAYS, 9),
        usage(A, 400, 1),
        usage(B, 0, 100),
      ]);

      const { usage: days } = await createStores(
        knex,
      ).eventHistory.readIdentityHistory(A, NOW);

      expect(days.map(d => [d.day, d.uses])).toEqual([
        [day(0), 4],
        [day(1), 0],
        [day(USAGE_HISTORY_DAYS - 1), 7],
      ]);
      expect(days[0]).toEqual({
        day: day(0),
        uses: 4,
        authFailures: 0,
        lastUsedAt: at(0, 17),
        sources: ['10.1.2.3 eu-west-1'],
      });
      expect(days[1]).toEqual({
        day: day(1),
        uses: 0,
        authFailures: 3,
        sources: ['10.1.2.3 eu-west-1'],
      });
    });

    it('is empty for an identity without events', async () => {
      expect(
        await createStores(knex).eventHistory.readIdentityHistory(A, NOW),
      ).toEqual({
        events: [],
        usage: [],
      });
    });
  });
});
