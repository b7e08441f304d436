import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  ReviewBackend,
  identityEntity,
  startReviewBackend,
} from '../__testUtils__/reviewBackend';

jest.setTimeout(120_000);

const SAM = 'user:default/sam';
const REF = 'machineidentity:default/pay-a';

/**
 * Anomalies in a real backend: usage sent as events builds each identity's baseline, and a
 * day unlike it opens an anomaly finding that names what was new.
 */
describe('anomalies against a real backend', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;
    // An hour ago: never in the future, and the same hour of day on every day below.
    const at = DateTime.utc().minus({ hours: 1 }).startOf('minute');

    const send = async (events: object[]) => {
      const res = await backend.post('/events', { events }, 'service');
      expect(res.status).toBe(200);
    };
    const status = async () =>
      (await backend.get('/identities/default/pay-a', SAM)).body.identity
        .status;
    /** Events are recomputed in the background: the findings once `code` shows. */
    const findingsWith = async (code: string) => {
      for (let i = 0; i < 100; i++) {
        const findings = (await status())?.findings ?? [];
        if (findings.some((f: any) => f.code === code)) return findings;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`no ${code}: ${JSON.stringify(await status())}`);
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startReviewBackend(knex, [identityEntity('pay-a')]);
      await backend.refresh();
      // Ten days in the usual place, at the usual hour.
      await send(
        Array.from({ length: 10 }, (_, i) => ({
          id: `usual-${i}`,
          type: 'used',
          occurredAt: at.minus({ days: i + 2 }).toISO(),
          identity: { ref: REF },
          count: 40,
          sourceIp: '10.0.0.1',
          region: 'eu-west-1',
        })),
      );
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('opens an anomaly for a day from a new address and region, and not for a usual day', async () => {
      await send([
        {
          id: 'like-the-others',
          type: 'used',
          occurredAt: at.minus({ days: 1 }).toISO(),
          identity: { ref: REF },
          count: 40,
          sourceIp: '10.0.0.1',
          region: 'eu-west-1',
        },
      ]);
      await send([
        {
          id: 'from-elsewhere',
          type: 'used',
          occurredAt: at.toISO(),
          identity: { ref: REF },
          sourceIp: '203.0.113.9',
          region: 'ap-southeast-1',
        },
      ]);
      const f = await findingsWith('anomaly');
      const anomaly = f.find((x: any) => x.code === 'anomaly');
      expect(anomaly).toMatchObject({
        controls: expect.objectContaining({ soc2: ['CC7.2'] }),
        evidence: {
          // Yesterday was like the days before it.
          days: [at.toISODate()],
          newAddresses: ['203.0.113.9'],
          newRegions: ['ap-southeast-1'],
          newHours: [],
          volumeSpikeDays: [],
          usage: [expect.stringContaining('new addresses 203.0.113.9')],
        },
      });
      const stored = await knex('nhi_identity_facts')
        .where('identity_ref', REF)
        .first('anomalies');
      expect(JSON.parse(stored.anomalies)).toHaveLength(1);
    });
  });
});
