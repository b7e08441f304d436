/**
 * yarn bench:discovery [--rows 500000] [--cloudtrail-mb 200]
 *
 * How fast the discovery parsers read the two largest exports the issue names, and how much
 * memory they hold: a credential report of --rows users (each with an access key) and a
 * CloudTrail file of about --cloudtrail-mb megabytes, each generated on the fly and streamed
 * to the parser, so the file itself is never in memory. Peak RSS is sampled every 20 ms.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseAwsCredentialReport } from '../src/discovery/parsers/awsCredentialReport';
import { AWS_CREDENTIAL_REPORT_COLUMNS } from '../src/discovery/parsers';
import { parseCloudTrail } from '../src/discovery/parsers/cloudTrail';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('rows', 500_000);
const CLOUDTRAIL_MB = arg('cloudtrail-mb', 200);

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

async function* cloudTrail(megabytes: number, counter: { records: number }) {
  const target = megabytes * 2 ** 20;
  let bytes = 0;
  yield '{"Records":[';
  while (bytes < target) {
    const records: string[] = [];
    for (let i = 0; i < 100; i++) {
      records.push(
        JSON.stringify({ ...RECORD, eventID: `e-${counter.records++}` }),
      );
    }
    const chunk = `${bytes ? ',' : ''}${records.join(',')}`;
    bytes += chunk.length;
    yield chunk;
  }
  yield ']}';
}

async function measure(name: string, items: AsyncIterable<unknown>) {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = process.hrtime.bigint();
  let count = 0;
  for await (const _ of items) count++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    name,
    items: count,
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round(count / seconds),
    peakRssMb: Math.round(peak / 2 ** 20),
  };
}

async function main() {
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${Math.round(
      os.totalmem() / 2 ** 30,
    )} GiB, ${os.cpus()[0].model}`,
  );
  const report = await measure(
    `credential report, ${ROWS.toLocaleString('en')} rows`,
    parseAwsCredentialReport(credentialReport(ROWS)),
  );
  const counter = { records: 0 };
  const trail = await measure(
    `CloudTrail, ${CLOUDTRAIL_MB} MB`,
    parseCloudTrail(cloudTrail(CLOUDTRAIL_MB, counter)),
  );
  for (const r of [report, trail]) {
    console.log(
      `  ${r.name.padEnd(34)} ${r.items.toLocaleString('en')} items in ${
        r.seconds
      } s (${r.perSecond.toLocaleString('en')}/s), peak RSS ${
        r.peakRssMb
      } MB (target < 1 GB)`,
    );
  }
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, `discovery-${Date.now()}.json`),
    JSON.stringify({ report, trail, records: counter.records }, null, 2),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
