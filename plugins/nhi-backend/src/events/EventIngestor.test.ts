import { createStores } from '../wiring/createStores';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { blockNextLedgerWrite } from '../__testUtils__/ledgerFailure';
import { applyDatabaseMigrations } from '../database/migrations';

import type { IdentityRecord } from '../engine/types';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import { verifyChain } from '../ledger/chain';
import { DEFAULT_POLICY } from '../policy/Policy';
import { StatusRecomputer } from '../status/StatusRecomputer';
import { EventIngestor } from './EventIngestor';
import { secretlintFailure } from '../__testUtils__/secretlintFailure';

jest.setTimeout(60_000);

// A simulated internal failure of the scan; otherwise the scan is the real one.
jest.mock('@secretlint/core', () =>
  jest.requireActual('../__testUtils__/secretlintFailure').mockedSecretlint(),
);
afterEach(() => {
  secretlintFailure.failing = false;
});

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });
const A = 'machineidentity:default/a';
const B = 'machineidentity:default/b';

const identity = (
  name: string,
  extra: Partial<IdentityRecord> = {},
): IdentityRecord => ({
  ref: `machineidentity:default/${name}`,
  type: 'service-account',
  owner: 'group:default/payments',
  usedBy: ['component:default/payments-api'],
  environment: 'production',
  provider: 'aws-iam',
  externalId: `arn:aws:iam::1:user/${name}`,
  scopes: ['s3:GetObject'],
  privilege: 'read',
  credential: { createdAt: '2026-01-01', lastRotatedAt: '2026-02-01' },
  approval: { approvedBy: 'user:default/sam', approvedAt: '2026-01-01' },
  ...extra,
});

const used = (id: string, occurredAt: string, extra: object = {}) => ({
  id,
  type: 'used',
  occurredAt,
  identity: { ref: A },
  sourceIp: '10.1.2.3',
  region: 'eu-west-1',
  ...extra,
});

async function usageRows(knex: Knex) {
  return (await knex('nhi_usage_daily').orderBy(['identity_ref', 'day'])).map(
    r => ({
      ref: r.identity_ref,
      day: r.day,
      uses: Number(r.uses),
      authFailures: Number(r.auth_failures),
    }),
  );
}

async function ledgerKinds(knex: Knex) {
  const kinds: string[] = [];
  for await (const e of createStores(knex).ledger.readLedger()) {
    if (!e.kind.startsWith('identity.')) kinds.push(`${e.kind} ${e.subject}`);
  }
  return kinds;
}

describe('EventIngestor', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let ingestor: EventIngestor;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [
          identity('a'),
          identity('b'),
          identity('b-staging', {
            environment: 'staging',
            externalId: 'arn:aws:iam::1:user/b',
          }),
        ],
        '2026-11-01T00:00:00.000Z',
      );
      ingestor = new EventIngestor(createStores(knex));
    });

    it('keeps lifecycle events, rolls usage up per day, and records both in the ledger', async () => {
      const result = await ingestor.ingest(
        {
          events: [
            used('u1', '2026-11-27T10:00:00Z'),
            used('u2', '2026-11-27T11:00:00Z', { count: 4 }),
            used('u3', '2026-11-28T09:00:00Z'),
            {
              id: 'f1',
              type: 'auth-failed',
              occurredAt: '2026-11-28T09:05:00Z',
              identity: { ref: A },
              count: 3,
            },
            {
              id: 'r1',
              type: 'rotated',
              occurredAt: '2026-11-20T08:00:00Z',
              identity: { ref: A },
            },
          ],
        },
        NOW,
      );
      expect(result).toEqual({ accepted: 5, duplicates: 0, affectedRefs: [A] });
      expect(await usageRows(knex)).toEqual([
        { ref: A, day: '2026-11-27', uses: 5, authFailures: 0 },
        { ref: A, day: '2026-11-28', uses: 1, authFailures: 3 },
      ]);
      const [rotation] = await knex('nhi_events').select(
        'id',
        'type',
        'identity_ref',
      );
      expect(rotation).toEqual({ id: 'r1', type: 'rotated', identity_ref: A });
      expect(await ledgerKinds(knex)).toEqual([
        `event.ingested ${A}`,
        'usage.ingested undefined',
      ]);
      expect(
        await verifyChain(
          createStores(knex).ledger.readLedger(),
          await createStores(knex).ledger.readLedgerHead(),
        ),
      ).toMatchObject({ ok: true });
    });

    it('recognises replays for the replay window after delivery, and forgets keys after it', async () => {
      const batch = { events: [used('u1', '2026-11-27T10:00:00Z')] };
      await ingestor.ingest(batch, NOW);
      // Within the window, pruning keeps the key: the replay is a duplicate.
      await createStores(knex).events.pruneRolledUpEventIds(
        NOW.minus({ days: 30 }).toISODate()!,
      );
      expect(
        await ingestor.ingest(batch, NOW.plus({ days: 10 })),
      ).toMatchObject({ accepted: 0, duplicates: 1 });
      // Past it, the key is gone and the table stays small.
      expect(
        await createStores(knex).events.pruneRolledUpEventIds(
          NOW.plus({ days: 1 }).toISODate()!,
        ),
      ).toBe(1);
      expect(await knex('nhi_rolled_up_event_ids').select()).toEqual([]);
    });

    it('changes nothing when a batch is replayed', async () => {
      const batch = {
        events: [
          used('u1', '2026-11-27T10:00:00Z'),
          {
            id: 'r1',
            type: 'rotated',
            occurredAt: '2026-11-20T08:00:00Z',
            identity: { ref: A },
          },
        ],
      };
      await ingestor.ingest(batch, NOW);
      const head = await createStores(knex).ledger.readLedgerHead();
      expect(await ingestor.ingest(batch, NOW)).toEqual({
        accepted: 0,
        duplicates: 2,
        affectedRefs: [],
      });
      expect(await usageRows(knex)).toEqual([
        { ref: A, day: '2026-11-27', uses: 1, authFailures: 0 },
      ]);
      expect(await createStores(knex).ledger.readLedgerHead()).toEqual(head);
    });

    it('attributes a credential declared in two environments to both identities', async () => {
      await ingestor.ingest(
        {
          events: [
            {
              id: 'x1',
              type: 'used',
              occurredAt: '2026-11-28T09:00:00Z',
              identity: {
                provider: 'aws-iam',
                externalId: 'arn:aws:iam::1:user/b',
              },
            },
          ],
        },
        NOW,
      );
      expect((await usageRows(knex)).map(r => r.ref)).toEqual([
        B,
        'machineidentity:default/b-staging',
      ]);
    });

    it('treats a replayed lifecycle event about a shared credential as a duplicate', async () => {
      const rotated = {
        events: [
          {
            id: 'rot-shared',
            type: 'rotated',
            occurredAt: '2026-11-28T09:00:00Z',
            identity: {
              provider: 'aws-iam',
              externalId: 'arn:aws:iam::1:user/b',
            },
          },
        ],
      };
      expect(await ingestor.ingest(rotated, NOW)).toMatchObject({
        accepted: 1,
        duplicates: 0,
      });
      expect(await ingestor.ingest(rotated, NOW)).toMatchObject({
        accepted: 0,
        duplicates: 1,
      });
      expect((await knex('nhi_events').select('identity_ref')).length).toBe(2);
    });

    it('refuses an event dated in the future', async () => {
      const future = DateTime.utc().plus({ days: 1 }).toISO();
      await expect(
        ingestor.ingest({ events: [used('f-1', future!)] }, NOW),
      ).rejects.toMatchObject({
        message: expect.stringContaining(
          'events[0].occurredAt must not be in the future',
        ),
      });
    });

    it.each([
      [{ events: 'lots' }, 'events must be a list of events'],
      [{ events: [] }, 'events must hold at least one event'],
      [{}, 'events must be a list of events'],
    ])('refuses the batch %j', async (body, message) => {
      await expect(ingestor.ingest(body, NOW)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    });

    it('refuses a batch with bad items, listing each by index, and applies none of it', async () => {
      const attempt = ingestor.ingest(
        {
          events: [
            used('ok-1', '2026-11-28T09:00:00Z'),
            used('bad-type', '2026-11-28T09:00:00Z', { type: 'deleted' }),
            used('bad-time', 'yesterday'),
            used('bad-ip', '2026-11-28T09:00:00Z', { sourceIp: '999.1.1.1' }),
            used('unknown', '2026-11-28T09:00:00Z', {
              identity: { ref: 'machineidentity:default/nope' },
            }),
            used('bad-count', '2026-11-28T09:00:00Z', { count: 0 }),
            used('extra', '2026-11-28T09:00:00Z', { hostname: 'web-1' }),
            used('ok-1', '2026-11-28T10:00:00Z'),
            used('not-identity', '2026-11-28T09:00:00Z', {
              identity: { ref: 'component:default/payments-api' },
            }),
          ],
        },
        NOW,
      );
      await expect(attempt).rejects.toMatchObject({ name: 'InputError' });
      const message: string = await attempt.catch(e => e.message);
      expect(message).toContain('Refused 8 of 9 events; nothing was applied');
      expect(message).toContain(
        'events[1].type must be one of issued, rotated',
      );
      expect(message).toContain(
        'events[2].occurredAt must be an ISO 8601 timestamp',
      );
      expect(message).toContain(
        'events[3].sourceIp must be an IPv4 or IPv6 address',
      );
      expect(message).toContain(
        'events[4].identity names no known machine identity',
      );
      expect(message).toContain('events[5].count must be at least 1');
      expect(message).toContain('events[6].hostname is not an event field');
      expect(message).toContain('events[7].id repeats the id of events[0]');
      expect(message).toContain(
        'events[8].identity.ref must be a MachineIdentity entity ref',
      );
      const problems = await attempt.catch(e => e.problems);
      expect([
        ...new Set(problems.map((p: { index: number }) => p.index)),
      ]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(await usageRows(knex)).toEqual([]);
      expect((await createStores(knex).ledger.readLedgerHead()).seq).toBe(3);
    });

    it('adds up concurrent batches about the same identity and day without losing any', async () => {
      await Promise.all(
        Array.from({ length: 6 }, (_, batch) =>
          ingestor.ingest(
            {
              events: Array.from({ length: 50 }, (__, i) =>
                used(`c-${batch}-${i}`, '2026-11-28T09:00:00Z', {
                  sourceIp: `10.0.${batch}.${i}`,
                }),
              ),
            },
            NOW,
          ),
        ),
      );
      expect(await usageRows(knex)).toEqual([
        { ref: A, day: '2026-11-28', uses: 300, authFailures: 0 },
      ]);
      const row = await knex('nhi_usage_daily').first();
      expect(JSON.parse(row.sources)).toHaveLength(20);
      expect(
        await verifyChain(
          createStores(knex).ledger.readLedger(),
          await createStores(knex).ledger.readLedgerHead(),
        ),
      ).toMatchObject({ ok: true, entries: 9 });
    });

    it('answers 503, not 400, when the secret scan itself fails (simulated internal failure), and applies nothing', async () => {
      secretlintFailure.failing = true;
      const error = await ingestor
        .ingest({ events: [used('f1', '2026-11-28T09:00:00Z')] }, NOW)
        .catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(/could not scan the event batch/i);
      expect(await usageRows(knex)).toEqual([]);
    });

    it('does not scan again a batch whose door already screened it (usage logs), and checks everything else', async () => {
      // Were it scanned, the simulated failure would refuse it.
      secretlintFailure.failing = true;
      const accepted = await ingestor.ingestScreened(
        { events: [used('u1', '2026-11-28T09:00:00Z')] },
        NOW,
      );
      expect(accepted.accepted).toBe(1);
      const refused = await ingestor
        .ingestScreened(
          { events: [used('u2', '2026-11-28T09:00:00Z', { region: 'a\tb' })] },
          NOW,
        )
        .catch(e => e.message);
      expect(refused).toMatch(/events\[0\]\.region/);
    });

    it('refuses events that carry secret material, naming the field but not the value', async () => {
      const attempt = ingestor.ingest(
        {
          events: [
            used('s1', '2026-11-28T09:00:00Z', { token: 'do-not-store' }),
            used('s2', '2026-11-28T09:00:00Z', {
              userAgent: 'curl ghp_0123456789abcdefghijklmnopqrstuvwxyzAB',
            }),
          ],
        },
        NOW,
      );
      const message: string = await attempt.catch(e => e.message);
      expect(message).toContain(
        'events[0].token is a field for secret material',
      );
      expect(message).toContain(
        'events[1].userAgent looks like a GitHub token',
      );
      expect(message).not.toContain('do-not-store');
      expect(message).not.toContain('ghp_0123');
      expect(await knex('nhi_events').select()).toEqual([]);
    });

    it('refuses the formats the hand-written rules let through, in any field, from one scan of a full batch', async () => {
      // The documentation examples of AWS, Slack, Azurite and GitHub's token format.
      const keyId = 'AKIAIOSFODNN7EXAMPLE';
      const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
      const webhook =
        'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
      const accountKey =
        'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
      const ghp = 'GHP_WWPW5K4AXCAT4FNP0UCNZWJUVFK6LO0PINUX';
      const events: object[] = Array.from({ length: 1000 }, (_, i) =>
        used(`m${i}`, '2026-11-28T09:00:00Z'),
      );
      events[3] = used('m3', '2026-11-28T09:00:00Z', {
        userAgent: `boto3 ${keyId} ${secretKey}`,
      });
      events[500] = used('m500', '2026-11-28T09:00:00Z', { actor: webhook });
      events[998] = used('m998', '2026-11-28T09:00:00Z', {
        userAgent: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${accountKey}`,
      });
      events[999] = used('m999', '2026-11-28T09:00:00Z', {
        identity: { provider: 'github', externalId: ghp },
      });
      const message: string = await ingestor
        .ingest({ events }, NOW)
        .catch(e => e.message);
      expect(message).toMatch(/^Refused 4 of 1000 events; nothing was applied/);
      expect(message).toContain(
        'events[3].userAgent looks like an AWS access key id',
      );
      expect(message).toContain(
        'events[3].userAgent looks like an AWS secret access key',
      );
      expect(message).toContain(
        'events[500].actor looks like a Slack token or webhook URL',
      );
      expect(message).toContain(
        'events[998].userAgent looks like an Azure storage or Service Bus key',
      );
      expect(message).toContain(
        'events[999].identity.externalId looks like a GitHub token',
      );
      for (const secret of [keyId, secretKey, webhook, accountKey, ghp])
        expect(message).not.toContain(secret);
      expect(await usageRows(knex)).toEqual([]);
    });

    it('scans what a well-formed event can carry as text: an IPv6 zone passes the address check and is still read', async () => {
      const keyId = 'AKIAIOSFODNN7EXAMPLE';
      const message: string = await ingestor
        .ingest(
          {
            events: [
              used('z1', '2026-11-28T09:00:00Z', { sourceIp: 'fe80::1%eth0' }),
              used('z2', '2026-11-28T09:00:00Z', {
                sourceIp: `fe80::1%${keyId}`,
              }),
              used(`id-${keyId}`, '2026-11-28T09:00:00Z'),
              used('z4', 'not a time', { actor: `ci ${keyId}` }),
            ],
          },
          NOW,
        )
        .catch(e => e.message);
      expect(message).toMatch(/^Refused 3 of 4 events; nothing was applied/);
      expect(message).toContain(
        'events[1].sourceIp looks like an AWS access key id',
      );
      expect(message).toContain('events[2].id looks like an AWS access key id');
      // A malformed item is scanned whole, and its secret is what is reported.
      expect(message).toContain(
        'events[3].actor looks like an AWS access key id',
      );
      expect(message).not.toContain('events[3].occurredAt');
      expect(message).not.toContain(keyId);
      expect(await usageRows(knex)).toEqual([]);
    });

    it('accepts usage that names its key by the access key id, as CloudTrail does', async () => {
      const keyId = 'AKIAQ3EGRTPC4EXAMPLE';
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [identity('a'), identity('k', { externalId: keyId })],
        '2026-11-02T00:00:00.000Z',
      );
      const result = await ingestor.ingest(
        {
          events: [
            {
              id: 'k1',
              type: 'used',
              occurredAt: '2026-11-28T09:00:00Z',
              identity: { provider: 'aws-iam', externalId: keyId },
            },
          ],
        },
        NOW,
      );
      expect(result.affectedRefs).toEqual(['machineidentity:default/k']);
    });

    it('applies nothing when the ledger cannot be written', async () => {
      const unblock = await blockNextLedgerWrite(knex);
      await expect(
        ingestor.ingest(
          {
            events: [
              used('u1', '2026-11-28T09:00:00Z'),
              {
                id: 'r1',
                type: 'rotated',
                occurredAt: '2026-11-20T08:00:00Z',
                identity: { ref: A },
              },
            ],
          },
          NOW,
        ),
      ).rejects.toMatchObject({ message: expect.stringMatching(/nhi_ledger/) });
      await unblock();
      expect(await usageRows(knex)).toEqual([]);
      expect(await knex('nhi_events').select()).toEqual([]);
      expect(await knex('nhi_rolled_up_event_ids').select()).toEqual([]);
    });

    it('feeds the status engine: use, rotation, human logins and failure spikes', async () => {
      await ingestor.ingest(
        {
          events: [
            used('u1', '2026-11-28T09:00:00Z'),
            {
              id: 'r1',
              type: 'rotated',
              occurredAt: '2026-11-20T08:00:00Z',
              identity: { ref: A },
            },
            {
              id: 'l1',
              type: 'interactive-login',
              occurredAt: '2026-11-26T22:00:00Z',
              identity: { ref: B },
              actor: 'user:default/dana.reyes',
            },
            {
              id: 'f1',
              type: 'auth-failed',
              occurredAt: '2026-11-28T23:00:00Z',
              identity: { ref: B },
              count: 250,
            },
          ],
        },
        NOW,
      );
      await new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
        {
          existingOwners: new Set(['group:default/payments']),
          entityStates: new Map([['component:default/payments-api', 'active']]),
        },
        NOW,
      );
      const a = await createStores(knex).identities.readIdentity(A);
      expect(a?.status?.rotation).toMatchObject({
        status: 'ok',
        lastRotatedAt: '2026-11-20',
      });
      expect(a?.status?.usage).toMatchObject({
        status: 'active',
        lastUsedAt: '2026-11-28',
      });
      const b = await createStores(knex).identities.readIdentity(B);
      const codes = b?.status?.findings.map(f => f.code);
      expect(codes).toEqual(
        expect.arrayContaining([
          'human-use',
          'auth-failure-spike',
          'never-used',
          'rotation-overdue',
        ]),
      );
      expect(codes).not.toContain('unmonitored');
    });

    it('ends a credential on a revoked event until it is issued again', async () => {
      const recompute = () =>
        new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
          {
            existingOwners: new Set(['group:default/payments']),
            entityStates: new Map([
              ['component:default/payments-api', 'active'],
            ]),
          },
          NOW,
        );
      const lifecycle = (id: string, type: string, occurredAt: string) => ({
        id,
        type,
        occurredAt,
        identity: { ref: A },
      });
      await ingestor.ingest(
        { events: [lifecycle('v1', 'revoked', '2026-11-25T10:00:00Z')] },
        NOW,
      );
      await recompute();
      const revoked = await createStores(knex).identities.readIdentity(A);
      expect(revoked?.status?.rotation).toEqual({
        status: 'expired',
        revokedAt: '2026-11-25',
      });
      expect(revoked?.status?.findings.map(f => f.code)).toContain('expired');

      await ingestor.ingest(
        { events: [lifecycle('i1', 'issued', '2026-11-26T10:00:00Z')] },
        NOW,
      );
      await recompute();
      const issued = await createStores(knex).identities.readIdentity(A);
      expect(issued?.status?.rotation).toMatchObject({
        status: 'ok',
        lastRotatedAt: '2026-11-26',
      });
    });
  });
});
