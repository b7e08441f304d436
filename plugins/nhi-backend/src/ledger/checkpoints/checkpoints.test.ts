import fs from 'fs';
import path from 'path';
import { generateKeyPairSync } from 'crypto';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { signCheckpoint, verifyCheckpoint } from '@nhi-governance/nhi-evidence';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../../__testUtils__/databases';
import { applyDatabaseMigrations } from '../../database/migrations';
import { createStores } from '../../wiring/createStores';
import { canonicalJson } from '../canonicalJson';
import { GENESIS_HASH, hashEntry } from '../chain';
import { LedgerService } from '../LedgerService';
import { CheckpointSigner } from './CheckpointSigner';
import { readCheckpointSettings } from './checkpointSettings';
import { writeSigningKeyFile } from '../../__testUtils__/signingKey';

jest.setTimeout(120_000);

const NOW = DateTime.fromISO('2026-12-05T12:00:00Z', { zone: 'utc' });
const { dir, keyFile } = writeSigningKeyFile('nhi-checkpoints-');
let files = 0;

/**
 * What someone with write access to the database, and no key, can do: change entries from
 * `fromSeq` on (or drop some) and recompute every later hash and the head, so that the chain
 * verifies again.
 */
async function rewrite(
  knex: Knex,
  change: (row: any) => any | undefined,
): Promise<void> {
  const rows = await knex('nhi_ledger').orderBy('seq');
  await knex('nhi_ledger').delete();
  let prevHash = GENESIS_HASH;
  let seq = 0;
  for (const original of rows) {
    const row = change({
      ...original,
      seq: Number(original.seq),
      payload: JSON.parse(original.payload),
    });
    if (!row) continue;
    seq += 1;
    const entry = {
      seq,
      recordedAt: row.recorded_at,
      kind: row.kind,
      subject: row.subject ?? undefined,
      payload: row.payload,
      prevHash,
    };
    const hash = hashEntry(entry);
    await knex('nhi_ledger').insert({
      seq,
      recorded_at: row.recorded_at,
      kind: row.kind,
      subject: row.subject,
      payload: canonicalJson(row.payload),
      prev_hash: prevHash,
      hash,
    });
    prevHash = hash;
  }
  await knex('nhi_ledger_head')
    .where({ id: 1 })
    .update({ seq, hash: prevHash });
}

describe('signed ledger checkpoints', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let published: string;
    let settings: NonNullable<ReturnType<typeof readCheckpointSettings>>;
    let stores: ReturnType<typeof createStores>;
    let signer: CheckpointSigner;
    let ledger: LedgerService;

    const append = (n: number, label = 'fact') =>
      stores.transaction(trx =>
        trx.ledger.appendLedgerEntries(
          Array.from({ length: n }, (_, i) => ({
            kind: 'identity.changed',
            subject: `machineidentity:default/key-${i}`,
            payload: { label, i },
          })),
          NOW.toISO()!,
        ),
      );

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      published = path.join(dir, `published-${(files += 1)}.jsonl`);
      settings = readCheckpointSettings(
        new ConfigReader({
          backend: { baseUrl: 'http://localhost:7007' },
          nhi: {
            ledger: {
              checkpoints: {
                signingKeyFile: keyFile,
                publish: { file: published },
              },
            },
          },
        }),
        { production: true },
      )!;
      stores = createStores(knex);
      signer = new CheckpointSigner(stores, settings, {
        logger: mockServices.logger.mock(),
      });
      ledger = new LedgerService(stores, settings);
    });

    it('signs the head, keeps the checkpoint in the ledger right after it, publishes it, and verifies', async () => {
      const entries = await append(5);
      const signed = await signer.sign(NOW);
      expect(signed).toMatchObject({ size: 5, seq: 6, hash: entries[4].hash });
      expect(verifyCheckpoint(signed.note, settings.publicKey)).toEqual({
        origin: 'localhost:7007/api/nhi/ledger',
        size: 5,
        hash: entries[4].hash,
        time: '2026-12-05T12:00:00.000Z',
      });
      const [kept] = await knex('nhi_ledger').where({ seq: 6 });
      expect(kept.kind).toBe('ledger.checkpoint');
      expect(JSON.parse(kept.payload)).toEqual({
        note: signed.note,
        publicKeyFingerprint: settings.publicKeyFingerprint,
      });
      expect(fs.readFileSync(published, 'utf8')).toBe(
        `${JSON.stringify({ seq: 6, note: signed.note })}\n`,
      );
      await append(2);
      expect(await ledger.verify()).toMatchObject({
        ok: true,
        entries: 8,
        checkpoints: {
          inLedger: 1,
          published: 1,
          latest: { size: 5, time: '2026-12-05T12:00:00.000Z' },
          publicKeyFingerprint: settings.publicKeyFingerprint,
        },
      });
    });

    it('finds a history rewritten consistently before a checkpoint, which the chain alone passes', async () => {
      await append(5);
      await signer.sign(NOW);
      await append(3);
      await rewrite(knex, row =>
        row.seq === 3 ? { ...row, payload: { label: 'forged', i: 2 } } : row,
      );
      // The rewrite is consistent: the hash chain alone holds.
      expect(await stores.ledger.verifyLedger()).toMatchObject({ ok: true });
      const result = await ledger.verify();
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: 5 });
      expect((result as any).reason).toMatch(
        /^entry 5 is not what the checkpoint of entry 6 signed at 2026-12-05T12:00:00.000Z \(hash [0-9a-f]{64}, now [0-9a-f]{64}\): the ledger was rewritten at or before entry 5$/,
      );
      // Nor is a new checkpoint signed over the rewritten history.
      await expect(signer.sign(NOW.plus({ hours: 1 }))).rejects.toThrow(
        /^The ledger no longer holds what its checkpoint of entry 5 signed at 2026-12-05T12:00:00.000Z: it was rewritten/,
      );
    });

    it('finds the rewrite from the published copy when the checkpoints in the database went too', async () => {
      await append(5);
      await signer.sign(NOW);
      await append(3);
      await rewrite(knex, row =>
        row.kind === 'ledger.checkpoint'
          ? undefined
          : { ...row, payload: { ...row.payload, label: 'forged' } },
      );
      const result = await ledger.verify();
      expect(result).toMatchObject({
        ok: false,
        firstBrokenSeq: 5,
        checkpoints: { inLedger: 0, published: 1 },
      });
      expect((result as any).reason).toContain(
        `entry 5 is not what line 1 of ${published} signed`,
      );
    });

    it('refuses a checkpoint re-signed with another key over a rewritten history', async () => {
      await append(5);
      await signer.sign(NOW);
      fs.rmSync(published);
      const forger = generateKeyPairSync('ed25519').privateKey;
      await rewrite(knex, row =>
        row.kind === 'ledger.checkpoint'
          ? row
          : { ...row, payload: { ...row.payload, label: 'forged' } },
      );
      // The forger signs the forged entry 5 with a key of their own.
      const forgedHead = (await knex('nhi_ledger').where({ seq: 5 }).first())
        .hash;
      const note = signCheckpoint(
        {
          origin: settings.origin,
          size: 5,
          hash: forgedHead,
          time: NOW.toISO()!,
        },
        settings.origin,
        forger,
      );
      await rewrite(knex, row =>
        row.kind === 'ledger.checkpoint'
          ? { ...row, payload: { ...row.payload, note } }
          : row,
      );
      const result = await ledger.verify();
      expect(result).toMatchObject({ ok: false });
      expect((result as any).reason).toBe(
        `the checkpoint of entry 6 is not signed with the key ${settings.publicKeyFingerprint}`,
      );
    });

    it('finds entries removed after a published checkpoint', async () => {
      await append(5);
      await signer.sign(NOW);
      await rewrite(knex, row => (row.seq <= 3 ? row : undefined));
      expect(await ledger.verify()).toMatchObject({
        ok: false,
        firstBrokenSeq: 4,
        reason: `the ledger ends at entry 3, but line 1 of ${published} signed entry 5: entries were removed`,
      });
    });
  });
});
