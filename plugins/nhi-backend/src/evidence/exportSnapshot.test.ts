import { Writable } from 'stream';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { parse } from 'csv-parse/sync';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { readPackageFiles, verifyPackage } from '@nhi-governance/nhi-evidence';
import { createTestDatabases } from '../__testUtils__/databases';
import { seedEvidenceQuarter } from '../__testUtils__/evidenceScenario';
import { TEST_NOW } from '../__testUtils__/fixtures';
import { writeSigningKeyFile } from '../__testUtils__/signingKey';
import { applyDatabaseMigrations } from '../database/migrations';
import { EventIngestor } from '../events/EventIngestor';
import { CheckpointSigner } from '../ledger/checkpoints/CheckpointSigner';
import { readCheckpointSettings } from '../ledger/checkpoints/checkpointSettings';
import { DEFAULT_POLICY } from '../policy/Policy';
import { createStores } from '../wiring/createStores';
import { EvidenceService } from './EvidenceService';

jest.setTimeout(60_000);

const PERIOD = { from: '2026-10-01', to: '2026-12-31' };
const PAY_A = 'machineidentity:default/pay-a';

const { keyFile } = writeSigningKeyFile('nhi-export-snapshot-');
const settings = readCheckpointSettings(
  new ConfigReader({
    backend: { baseUrl: 'http://localhost:7007' },
    nhi: { ledger: { checkpoints: { signingKeyFile: keyFile } } },
  }),
  { production: true },
)!;

/** A rotation arriving through the events API, as another replica would take it. */
const rotation = (knex: Knex, id: string) =>
  new EventIngestor(createStores(knex)).ingest(
    {
      events: [
        {
          id,
          type: 'rotated',
          occurredAt: TEST_NOW.toISO()!,
          identity: { ref: PAY_A },
        },
      ],
    },
    TEST_NOW,
  );

async function exportPackage(service: EvidenceService) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  await service.export({ period: PERIOD }, out, 'user:default/sam', TEST_NOW);
  const zip = Buffer.concat(chunks);
  const rotations = parse((await readPackageFiles(zip)).get('rotations.csv')!, {
    columns: true,
  }) as Record<string, string>[];
  return { zip, rotationIds: rotations.map(r => r.event_id) };
}

// SQLite keeps one connection for the whole plugin and cannot hold a read open for as long as a
// package streams; only PostgreSQL reads the package from one snapshot (see writeEvidencePackage).
const postgres = createTestDatabases()
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES'));

(postgres.length ? describe.each(postgres) : describe.skip.each([['none']]))(
  'an evidence export on %s while other replicas write',
  databaseId => {
    const databases = createTestDatabases();
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId as any);
      await applyDatabaseMigrations(knex);
      await seedEvidenceQuarter(knex);
    });

    it('shows the state at the head it signs: a write landing meanwhile is in neither its files nor its ledger', async () => {
      const stores = createStores(knex);
      const signer = new CheckpointSigner(stores, settings, {
        logger: mockServices.logger.mock(),
      });
      // The write lands after the head was signed and before the files are read: the moment
      // a replica's event slipped into rotations.csv without its ledger entry.
      const signing = jest
        .spyOn(signer, 'sign')
        .mockImplementationOnce(async (now, at) => {
          const signed = await CheckpointSigner.prototype.sign.call(
            signer,
            now,
            at,
          );
          await rotation(knex, 'rot-meanwhile');
          return signed;
        });
      const service = new EvidenceService(
        stores,
        DEFAULT_POLICY,
        undefined,
        signer,
      );

      const first = await exportPackage(service);
      expect(signing).toHaveBeenCalledTimes(1);
      expect(first.rotationIds).not.toContain('rot-meanwhile');
      expect(
        await verifyPackage(first.zip, { publicKey: settings.publicKey }),
      ).toMatchObject({ ok: true });

      // Nothing is lost: the next package carries the rotation and its ledger entry.
      const second = await exportPackage(service);
      expect(second.rotationIds).toContain('rot-meanwhile');
      expect(
        await verifyPackage(second.zip, { publicKey: settings.publicKey }),
      ).toMatchObject({ ok: true });
    });

    it('refuses to sign a head the ledger no longer holds', async () => {
      const signer = new CheckpointSigner(createStores(knex), settings, {
        logger: mockServices.logger.mock(),
      });
      const [latest] = await knex('nhi_ledger').orderBy('seq', 'desc');
      await expect(
        signer.sign(DateTime.utc(), {
          seq: Number(latest.seq),
          hash: 'f'.repeat(64),
        }),
      ).rejects.toThrow(
        `The ledger no longer holds what entry ${latest.seq} held when it was read: it was rewritten`,
      );
    });
  },
);
