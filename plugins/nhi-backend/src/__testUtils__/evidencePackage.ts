import { createStores } from '../wiring/createStores';
import { Writable } from 'stream';
import type { Knex } from 'knex';
import { DEFAULT_POLICY } from '../policy/Policy';
import {
  EvidencePeriod,
  writeEvidencePackage,
} from '../evidence/writeEvidencePackage';

/** A package of the period as bytes, generated at a fixed time, with its manifest. */
export async function exportPackage(knex: Knex, period: EvidencePeriod) {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  const manifest = await writeEvidencePackage(createStores(knex), period, out, {
    generatedAt: '2026-12-31T12:00:00.000Z',
    generatedBy: 'user:default/sam',
    policy: DEFAULT_POLICY,
  });
  return { zip: Buffer.concat(chunks), manifest };
}

export { readPackageFiles as unzip } from '@nhi-governance/nhi-evidence';
