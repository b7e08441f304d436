import { createStores } from '../src/wiring/createStores';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { pipeline } from 'stream/promises';
import { Readable } from 'stream';
import { DateTime, Duration } from 'luxon';
import { parseCloudTrail } from '../src/discovery/parsers/cloudTrail';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { SourceRunner } from '../src/discovery/SourceRunner';
import { createDatabase, dropDatabase, openDatabase } from './databases';
import { benchKeyId, declareKeys } from './declaredKeys';
import { measureWork, print } from './measure';

/**
 * A day of CloudTrail as an organisation writes it: 1,000 access keys of services, each calling
 * through the day from its own few hosts (three addresses) with one of two SDK user agents, one
 * key in fifty failing to authenticate. Records differ in id, time and call, as real ones do;
 * what repeats is who called from where, which is what usage is summed by.
 */
export const KEYS = 1000;
const keyId = benchKeyId;
const AGENTS = [
  'aws-sdk-java/2.25.10 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.10',
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
];
const CALLS = [
  ['s3.amazonaws.com', 'GetObject'],
  ['s3.amazonaws.com', 'PutObject'],
  ['sqs.amazonaws.com', 'ReceiveMessage'],
  ['dynamodb.amazonaws.com', 'Query'],
  ['kms.amazonaws.com', 'Decrypt'],
];

export function dayRecord(n: number, day: DateTime) {
  const key = n % KEYS;
  const round = Math.floor(n / KEYS);
  const [eventSource, eventName] = CALLS[n % CALLS.length];
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: `AIDABENCH${key}`,
      arn: `arn:aws:iam::123456789012:user/svc-${key}`,
      accountId: '123456789012',
      accessKeyId: keyId(key),
      userName: `svc-${key}`,
    },
    eventTime: day
      .plus({ seconds: (n * 13) % 86_400 })
      .toISO({ suppressMilliseconds: true }),
    eventSource,
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: `10.${key % 250}.${Math.floor(key / 250)}.${round % 3}`,
    userAgent: AGENTS[key % 2],
    requestParameters: { bucketName: 'payments-settlements', key: `o-${n}` },
    responseElements: null,
    requestID: `REQ${n}`,
    eventID: `e-${n}`,
    eventType: 'AwsApiCall',
    recipientAccountId: '123456789012',
    ...(key % 50 === 0 ? { errorCode: 'InvalidClientTokenId' } : {}),
  };
}

async function* cloudTrailDay(megabytes: number, counter: { records: number }) {
  const day = DateTime.utc().minus({ days: 1 }).startOf('day');
  const target = megabytes * 2 ** 20;
  let bytes = 0;
  yield '{"Records":[';
  while (bytes < target) {
    const records: string[] = [];
    for (let i = 0; i < 100; i++) {
      records.push(JSON.stringify(dayRecord(counter.records++, day)));
    }
    const chunk = `${bytes ? ',' : ''}${records.join(',')}`;
    bytes += chunk.length;
    yield chunk;
  }
  yield ']}';
}

/**
 * A day of CloudTrail of about `megabytes`, written to a file, then read twice in one process:
 * parsed alone, and as a source run into `db` (summed, attributed to 1,000 declared keys and
 * written). Records per second of both, and their ratio.
 */
export async function usagePhase(db: string, megabytes: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-usage-bench-'));
  const file = path.join(dir, 'cloudtrail-day.json');
  const counter = { records: 0 };
  await pipeline(
    Readable.from(cloudTrailDay(megabytes, counter)),
    fs.createWriteStream(file),
  );
  const location = await createDatabase(db);
  const knex = openDatabase(location);
  try {
    await applyDatabaseMigrations(knex);
    await declareKeys(knex, KEYS);
    const parsed = await measureWork(
      `${db}: CloudTrail day parsed alone`,
      async () => {
        let n = 0;
        for await (const _ of parseCloudTrail(fs.createReadStream(file))) n++;
        return n;
      },
    );
    const source = {
      id: 'cloudtrail',
      format: 'aws-cloudtrail',
      location: { path: file },
      frequency: Duration.fromISO('PT1H'),
    };
    const runner = new SourceRunner(createStores(knex));
    await runner.register([source]);
    let summary: any;
    const run = await measureWork(
      `${db}: CloudTrail day run, ${megabytes} MB`,
      async () => {
        const result = await runner.run(source);
        if (result.status !== 'ok') throw new Error(result.error);
        summary = result.summary;
        return result.rows;
      },
    );
    const [{ uses }] = await knex('nhi_usage_daily').sum({ uses: 'uses' });
    print([parsed, run]);
    const ratio = Math.round((run.perSecond / parsed.perSecond) * 100) / 100;
    console.log(
      `  ${db}: ${counter.records.toLocaleString('en')} records summed into ${
        summary.aggregates
      } rows; ${Number(uses).toLocaleString(
        'en',
      )} uses counted; run/parse rate ${ratio}`,
    );
    return { db, parsed, run, records: counter.records, summary, ratio };
  } finally {
    await knex.destroy();
    await dropDatabase(location);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
