import request from 'supertest';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { ReviewBackend, identityEntity } from '../__testUtils__/reviewBackend';
import { startEdgeBackend } from '../__testUtils__/edgeBackend';
import {
  changedTables,
  settledSnapshot,
  snapshotTables,
} from '../__testUtils__/tableSnapshot';

jest.setTimeout(120_000);

const DANA = 'user:default/dana';
const SAM = 'user:default/sam';
const ref = (name: string) => `machineidentity:default/${name}`;
const future = (days: number) => DateTime.utc().plus({ days }).toISO()!;

/** JSON nested `depth` objects deep, written by hand: no recursive serialiser involved. */
const deepJson = (depth: number) =>
  `{"period":"2026-Q4","scope":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

describe('hostile text against a real backend', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;
    let itemId: string;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const started = await startEdgeBackend(knex, [
        identityEntity('checkout-key'),
        identityEntity('refunds-key'),
      ]);
      backend = started.backend;
      itemId = started.items.find(i => i.identity === ref('checkout-key'))!.id;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const exception = (fields: object) => ({
      identity: ref('checkout-key'),
      finding: 'long-lived',
      justification: 'The vendor cannot rotate before Q2',
      compensatingControls: 'IP allow-list and alerts on every use',
      expiresAt: future(30),
      ...fields,
    });
    const event = (fields: object) => ({
      events: [
        {
          id: 'evt-1',
          type: 'used',
          occurredAt: '2026-11-28T09:00:00Z',
          identity: { ref: ref('checkout-key') },
          ...fields,
        },
      ],
    });
    const sendRaw = (route: string, body: string) =>
      request(backend.server)
        .post(`/api/nhi${route}`)
        .set('Authorization', mockCredentials.user.header(SAM))
        .set('Content-Type', 'application/json')
        .send(body);

    it.each<[string, () => request.Test, string]>([
      [
        'a NUL character in a justification',
        () =>
          backend.post(
            '/exceptions',
            exception({ justification: 'vendor\u0000 delay' }),
            DANA,
          ),
        'Invalid body: justification contains a NUL character (U+0000)',
      ],
      [
        'a NUL character in an event field',
        () =>
          backend.post(
            '/events',
            event({ userAgent: 'curl\u0000' }),
            'service',
          ),
        'Invalid body: events[0].userAgent contains a NUL character (U+0000)',
      ],
      [
        'a NUL character in a path parameter',
        () =>
          backend.post(
            `/review-items/bad%00id/decision`,
            { decision: 'certify', justification: 'still needed' },
            DANA,
          ),
        'Invalid path: params.id contains a NUL character (U+0000)',
      ],
      [
        'a NUL character inside a page cursor, where the edge cannot see it',
        () =>
          backend.get(
            `/discovery/sources/gcp/credentials?after=${Buffer.from(
              JSON.stringify(['gcp\u0000', 'x']),
            ).toString('base64url')}`,
            SAM,
          ),
        'query.after is not a cursor this API gave out',
      ],
      [
        'a lone surrogate in a justification',
        () =>
          backend.post(
            `/review-items/${itemId}/decision`,
            { decision: 'certify', justification: 'still needed \ud800' },
            DANA,
          ),
        'Invalid body: justification contains a lone surrogate (U+D800)',
      ],
      [
        'a NUL character in a query',
        () => backend.get('/identities?owner=group:default/pay%00ments', SAM),
        'Invalid query: owner contains a NUL character (U+0000)',
      ],
      [
        'JSON nested 5,000 deep',
        () => sendRaw('/campaigns', deepJson(5000)),
        `Invalid body: scope${'.a'.repeat(31)} is nested deeper than 32 levels`,
      ],
      [
        'an exception expiring on 30 February',
        () =>
          backend.post(
            '/exceptions',
            exception({ expiresAt: '2027-02-30' }),
            DANA,
          ),
        'Invalid body: expiresAt must be a date that exists on the calendar',
      ],
      [
        'an event on 30 February',
        () =>
          backend.post(
            '/events',
            event({ occurredAt: '2026-02-30T10:00:00Z' }),
            'service',
          ),
        'events[0].occurredAt must be a date that exists on the calendar',
      ],
      [
        'a campaign due in the year 0000',
        () =>
          backend.post(
            '/campaigns',
            { period: '2026-Q4', dueAt: '0000-01-01T00:00:00Z' },
            SAM,
          ),
        'Invalid body: dueAt must fall in the years 1970 to 9999',
      ],
      [
        'an event in the year 0000',
        () =>
          backend.post(
            '/events',
            event({ occurredAt: '0000-06-01T10:00:00Z' }),
            'service',
          ),
        'events[0].occurredAt must fall in the years 1970 to 9999',
      ],
      [
        'a justification of zero-width spaces',
        () =>
          backend.post(
            `/review-items/${itemId}/decision`,
            { decision: 'certify', justification: '\u200b\u200b\u200b' },
            DANA,
          ),
        'Invalid body: justification must not be empty',
      ],
      [
        'an approval reason of zero-width joiners and a BOM',
        () =>
          backend.post(
            '/approvals/default/checkout-key',
            { decision: 'approve', reason: '\u200d\u2060\ufeff' },
            SAM,
          ),
        'Invalid body: reason must not be empty',
      ],
      [
        'a scope to remove made of zero-width spaces',
        () =>
          backend.post(
            `/review-items/${itemId}/decision`,
            {
              decision: 'reduce-scope',
              scopesToRemove: ['\u200b\u200b'],
              justification: 'too broad',
            },
            DANA,
          ),
        'Invalid body: scopesToRemove.0 must not be empty',
      ],
      [
        'a campaign scoped to a blank environment',
        () =>
          backend.post(
            '/campaigns',
            { period: '2026-Q4', scope: { environment: [' \u200b '] } },
            SAM,
          ),
        'Invalid body: scope.environment.0 must not be empty',
      ],
      [
        'a token pasted into a justification',
        () =>
          backend.post(
            '/exceptions',
            exception({
              justification: `rotating ${[
                'ghp',
                'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
              ].join('_')} soon`,
            }),
            DANA,
          ),
        'Invalid body: justification looks like a GitHub token',
      ],
    ])(
      'refuses %s with a 400 naming the field, and stores nothing',
      async (_what, send, message) => {
        const before = await settledSnapshot(knex);
        const res = await send();
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringContaining(message),
        });
        expect(res.body.error.name).toBe('InputError');
        expect(res.text).not.toContain('A1b2C3d4E5f6');
        expect(changedTables(before, await snapshotTables(knex))).toEqual([]);
      },
    );

    it('stores what it accepts in normal form C, the same string in the column and the ledger', async () => {
      const decomposed = 'Cafe\u0301 settlement still runs nightly';
      const res = await backend.post(
        `/review-items/${itemId}/decision`,
        { decision: 'certify', justification: decomposed },
        DANA,
      );
      expect(res.status).toBe(200);
      const composed = decomposed.normalize('NFC');
      expect(res.body.justification).toBe(composed);
      const row = await knex('nhi_review_decisions')
        .where('item_id', itemId)
        .orderBy('version', 'desc')
        .first();
      expect(row.justification).toBe(composed);
      const entries = await knex('nhi_ledger')
        .where('subject', ref('checkout-key'))
        .orderBy('seq');
      const decided = entries
        .map(e => JSON.parse(e.payload))
        .filter(p => p.justification !== undefined);
      expect(decided.map(p => p.justification)).toContain(composed);
      const verified = await backend.get('/ledger/verify', SAM);
      expect(verified.body).toMatchObject({ ok: true });
    });
  });
});
