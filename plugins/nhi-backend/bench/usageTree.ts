import { createStores } from '../src/wiring/createStores';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { createGunzip, gzip } from 'zlib';
import { DateTime } from 'luxon';
import { ConfigReader } from '@backstage/config';
import type { NhiConnector } from '@nhi-governance/plugin-nhi-node';
import { parseCloudTrail } from '../src/discovery/parsers/cloudTrail';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { SourceRunner } from '../src/discovery/SourceRunner';
import { SourceFormatRegistry } from '../src/discovery/sourceFormats';
import { readDiscoverySources } from '../src/discovery/sourceSettings';
import { createDatabase, dropDatabase, openDatabase } from './databases';
import { declareKeys } from './declaredKeys';
import { measureWork, print } from './measure';
import { dayRecord, KEYS } from './usageLogs';

/** Records per log object: CloudTrail delivers an object about every five minutes per region. */
const RECORDS_PER_OBJECT = 5_000;

/**
 * A day of CloudTrail as S3 holds it: gzipped objects under
 * AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/, written to a folder of the same layout.
 */
async function writeTree(root: string, megabytes: number) {
  const day = DateTime.utc().minus({ days: 1 }).startOf('day');
  const folder = path.join(
    root,
    `AWSLogs/123456789012/CloudTrail/eu-west-1/${day.toFormat('yyyy/MM/dd')}`,
  );
  fs.mkdirSync(folder, { recursive: true });
  const target = megabytes * 2 ** 20;
  let bytes = 0;
  let n = 0;
  let objects = 0;
  while (bytes < target) {
    const records: string[] = [];
    for (let i = 0; i < RECORDS_PER_OBJECT; i++) {
      records.push(JSON.stringify(dayRecord(n++, day)));
    }
    const text = `{"Records":[${records.join(',')}]}`;
    bytes += text.length;
    const at = day
      .plus({ minutes: 5 * objects })
      .toFormat("yyyyMMdd'T'HHmm'Z'");
    const name = `123456789012_CloudTrail_eu-west-1_${at}_${objects}.json.gz`;
    fs.writeFileSync(
      path.join(folder, name),
      await promisify(gzip)(Buffer.from(text)),
    );
    objects++;
  }
  return { records: n, objects };
}

/** Every object key under `root`, in the byte order S3 lists keys in. */
function keysOf(root: string): string[] {
  const keys: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else keys.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * The tree read the way the aws-cloudtrail-s3 connector reads a bucket, with the folder in
 * place of S3: objects in key order, complete ones skipped, each streamed through gunzip into
 * the CloudTrail parser, `done` after each.
 */
function folderConnector(root: string): NhiConnector {
  return {
    id: 'cloudtrail-folder',
    kind: 'usage',
    defaultSchedule: { frequency: { minutes: 15 }, timeout: { minutes: 60 } },
    async *read({ logObjects }) {
      for (const key of keysOf(root)) {
        if (await logObjects.isComplete(key)) continue;
        const input = fs
          .createReadStream(path.join(root, key))
          .pipe(createGunzip());
        for await (const o of parseCloudTrail(input))
          yield { ...o, object: key };
        logObjects.done(key);
      }
    },
  };
}

/**
 * A day of CloudTrail of about `megabytes` (before gzip) as a tree of objects, read end to end
 * into `db`, then read again (nothing left to count). Records per second of the first read.
 */
export async function usageTreePhase(db: string, megabytes: number) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-usage-tree-'));
  const { records, objects } = await writeTree(root, megabytes);
  const location = await createDatabase(db);
  const knex = openDatabase(location);
  try {
    await applyDatabaseMigrations(knex);
    await declareKeys(knex, KEYS);
    const formats = SourceFormatRegistry.withBuiltIns();
    formats.addConnector(folderConnector(root));
    const [source] = readDiscoverySources(
      new ConfigReader({
        nhi: {
          discovery: {
            sources: [{ id: 'trail', connector: 'cloudtrail-folder' }],
          },
        },
      }),
      formats,
    );
    const runner = new SourceRunner(createStores(knex), { formats });
    await runner.register([source]);
    const runOnce = async () => {
      const result = await runner.run(source);
      if (result.status !== 'ok') throw new Error(result.error);
      return result;
    };
    let summary: any;
    const first = await measureWork(
      `${db}: CloudTrail tree, ${objects} objects`,
      async () => {
        const result = await runOnce();
        summary = result.summary;
        return result.rows;
      },
    );
    const again = await measureWork(`${db}: the same tree again`, async () =>
      Number((await runOnce()).rows),
    );
    print([first, again]);
    console.log(
      `  ${db}: ${records.toLocaleString(
        'en',
      )} records in ${objects} objects, ${
        summary.counted
      } counted, summed into ${summary.aggregates} rows`,
    );
    return { db, records, objects, first, again, summary };
  } finally {
    await knex.destroy();
    await dropDatabase(location);
    fs.rmSync(root, { recursive: true, force: true });
  }
}
