import { createStores } from '../src/wiring/createStores';
/**
 * yarn bench:discovery [--rows 500000] [--cloudtrail-mb 200] [--phase parse|import|usage|usage-tree] [--db sqlite|pg]
 *
 * The two largest exports the issue names: a credential report of --rows users (each with an
 * access key) and a CloudTrail file of about --cloudtrail-mb megabytes.
 *
 * --phase parse: how fast the parsers read them and how much memory they hold, each export
 * generated on the fly and streamed to the parser, so the file itself is never in memory.
 *
 * --phase import: a source run into a real database (--db), as the scheduler runs it: the
 * report is read, reconciled (every key undeclared, so each becomes a discovered identity with
 * its source facts and ledger entry) and the statuses computed; the CloudTrail file is read
 * into used and auth-failed events of 1,000 declared identities. Each export is first written
 * to a file, as the source would find it.
 *
 * --phase usage: a day of CloudTrail (bench/usageLogs.ts) parsed alone, then read end to end
 * into the database, in one process: the ratio of the two is what the writes cost.
 *
 * scripts/bench-discovery.sh runs each phase and database in a process of its own, so each
 * peak RSS (sampled every 20 ms) is that phase's alone.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { pipeline } from 'stream/promises';
import { Readable } from 'stream';
import { DateTime, Duration } from 'luxon';
import { parseAwsCredentialReport } from '../src/discovery/parsers/awsCredentialReport';
import { AWS_CREDENTIAL_REPORT_COLUMNS } from '../src/discovery/parsers';
import { parseCloudTrail } from '../src/discovery/parsers/cloudTrail';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { SourceRunner } from '../src/discovery/SourceRunner';
import type { DiscoverySource } from '../src/discovery/sourceSettings';
import { DEFAULT_POLICY } from '../src/policy/Policy';
import { StatusRecomputer } from '../src/status/StatusRecomputer';
import { createDatabase, dropDatabase, openDatabase } from './databases';
import { benchKeyId, declareKeys } from './declaredKeys';
import { measureWork, print } from './measure';
import { usagePhase } from './usageLogs';
import { usageTreePhase } from './usageTree';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROWS = arg('rows', 500_000);
const CLOUDTRAIL_MB = arg('cloudtrail-mb', 200);
const PHASE = option('phase', 'parse');
const DB = option('db', 'sqlite');
/** The declared identities the CloudTrail records of the import phase are spread over. */
const KEYS = 1000;
const keyId = benchKeyId;

async function* credentialReport(rows: number) {
  yield `${AWS_CREDENTIAL_REPORT_COLUMNS.join(',')}\n`;
  for (let i = 0; i < rows; i += 1000) {
    let chunk = '';
    for (let j = i; j < Math.min(rows, i + 1000); j++) {
      chunk += `svc-${j},arn:aws:iam::123456789012:user/svc-${j},2021-06-01T10:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-11-20T14:05:31+00:00,2026-05-06T22:47:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
    }
    yield chunk;
  }
}

const RECORD = {
  eventVersion: '1.09',
  userIdentity: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEPRINCIPAL',
    arn: 'arn:aws:iam::123456789012:user/ci-deployer',
    accountId: '123456789012',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    userName: 'ci-deployer',
  },
  eventTime: '2026-05-07T10:03:30Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'eu-west-1',
  sourceIPAddress: '203.0.113.10',
  userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
  requestParameters: { bucketName: 'payments-settlements', key: 'x.csv' },
  responseElements: null,
  requestID: 'EXAMPLE123',
  eventType: 'AwsApiCall',
  recipientAccountId: '123456789012',
};

/**
 * For the import phase, records of 1,000 keys over the last 30 days, at varied hours and from
 * a few addresses, a few of them failed authentications; for parsing, one record repeated.
 */
const SPREAD_FROM = DateTime.utc().minus({ days: 30 }).startOf('day');
function spreadRecord(n: number) {
  const at = SPREAD_FROM.plus({ minutes: (n * 7) % (30 * 24 * 60) });
  return {
    ...RECORD,
    eventID: `e-${n}`,
    eventTime: at.toISO({ suppressMilliseconds: true }),
    userIdentity: { ...RECORD.userIdentity, accessKeyId: keyId(n % KEYS) },
    sourceIPAddress: `203.0.113.${n % 7}`,
    ...(n % 50 === 0 ? { errorCode: 'InvalidClientTokenId' } : {}),
  };
}

async function* cloudTrail(
  megabytes: number,
  counter: { records: number },
  spread = false,
) {
  const target = megabytes * 2 ** 20;
  let bytes = 0;
  yield '{"Records":[';
  while (bytes < target) {
    const records: string[] = [];
    for (let i = 0; i < 100; i++) {
      const n = counter.records++;
      records.push(
        JSON.stringify(
          spread ? spreadRecord(n) : { ...RECORD, eventID: `e-${n}` },
        ),
      );
    }
    const chunk = `${bytes ? ',' : ''}${records.join(',')}`;
    bytes += chunk.length;
    yield chunk;
  }
  yield ']}';
}

async function measure(name: string, items: AsyncIterable<unknown>) {
  return measureWork(name, async () => {
    let count = 0;
    for await (const _ of items) count++;
    return count;
  });
}

async function parsePhase() {
  const report = await measure(
    `credential report, ${ROWS.toLocaleString('en')} rows`,
    parseAwsCredentialReport(credentialReport(ROWS)),
  );
  const counter = { records: 0 };
  const trail = await measure(
    `CloudTrail, ${CLOUDTRAIL_MB} MB`,
    parseCloudTrail(cloudTrail(CLOUDTRAIL_MB, counter)),
  );
  print([report, trail]);
  return { report, trail, records: counter.records };
}

const source = (id: string, format: string, file: string): DiscoverySource => ({
  id,
  format,
  location: { path: file },
  frequency: Duration.fromISO('PT1H'),
});

async function importPhase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-discovery-bench-'));
  const reportFile = path.join(dir, 'credential-report.csv');
  const trailFile = path.join(dir, 'cloudtrail.json');
  const counter = { records: 0 };
  await pipeline(
    Readable.from(credentialReport(ROWS)),
    fs.createWriteStream(reportFile),
  );
  await pipeline(
    Readable.from(cloudTrail(CLOUDTRAIL_MB, counter, true)),
    fs.createWriteStream(trailFile),
  );
  const location = await createDatabase(DB);
  const knex = openDatabase(location);
  try {
    await applyDatabaseMigrations(knex);
    await declareKeys(knex, KEYS);
    const runner = new SourceRunner(createStores(knex));
    const sources = [
      source('aws', 'aws-credential-report', reportFile),
      source('cloudtrail', 'aws-cloudtrail', trailFile),
    ];
    await runner.register(sources);
    const run = async (s: DiscoverySource) => {
      const result = await runner.run(s);
      if (result.status !== 'ok') throw new Error(result.error);
      return result.rows;
    };
    const report = await measureWork(
      `${DB}: credential report run, ${ROWS.toLocaleString('en')} rows`,
      () => run(sources[0]),
    );
    const recomputed = await measureWork(
      `${DB}: statuses of what it found`,
      async () =>
        (
          await new StatusRecomputer(
            createStores(knex),
            DEFAULT_POLICY,
          ).recompute(
            { existingOwners: new Set(), entityStates: new Map() },
            DateTime.utc(),
          )
        ).identities,
    );
    const trail = await measureWork(
      `${DB}: CloudTrail run, ${CLOUDTRAIL_MB} MB`,
      () => run(sources[1]),
    );
    const [{ n: discovered }] = await knex('nhi_identities')
      .where('source', 'discovery:aws')
      .count({ n: '*' });
    const [{ uses }] = await knex('nhi_usage_daily').sum({ uses: 'uses' });
    print([report, recomputed, trail]);
    console.log(
      `  ${DB}: ${Number(discovered).toLocaleString(
        'en',
      )} discovered identities; ${Number(uses).toLocaleString(
        'en',
      )} uses counted from ${counter.records.toLocaleString(
        'en',
      )} CloudTrail records`,
    );
    return { db: DB, report, recomputed, trail, records: counter.records };
  } finally {
    await knex.destroy();
    await dropDatabase(location);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${Math.round(
      os.totalmem() / 2 ** 30,
    )} GiB, ${os.cpus()[0].model}`,
  );
  const phases: Record<string, () => Promise<unknown>> = {
    parse: parsePhase,
    import: importPhase,
    usage: () => usagePhase(DB, CLOUDTRAIL_MB),
    'usage-tree': () => usageTreePhase(DB, CLOUDTRAIL_MB),
  };
  const results = await phases[PHASE]();
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, `discovery-${PHASE}-${Date.now()}.json`),
    JSON.stringify(results, null, 2),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
