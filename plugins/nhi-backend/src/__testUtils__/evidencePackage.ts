import { Writable } from 'stream';
import type { Knex } from 'knex';
import yauzl from 'yauzl';
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
  const manifest = await writeEvidencePackage(knex, period, out, {
    generatedAt: '2026-12-31T12:00:00.000Z',
    generatedBy: 'user:default/sam',
    policy: DEFAULT_POLICY,
  });
  return { zip: Buffer.concat(chunks), manifest };
}

/** A ZIP's files by name, in the order of the ZIP. */
export async function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  await new Promise<void>((done, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err || !file) {
        reject(err);
        return;
      }
      file.on('entry', entry => {
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) {
            reject(e);
            return;
          }
          const parts: Buffer[] = [];
          stream.on('data', d => parts.push(d));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(parts));
            file.readEntry();
          });
        });
      });
      file.on('end', () => done());
      file.on('error', reject);
      file.readEntry();
    });
  });
  return files;
}
