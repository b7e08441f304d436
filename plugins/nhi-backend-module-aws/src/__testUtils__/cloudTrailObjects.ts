import { randomBytes, randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import path from 'path';
import { gzipSync } from 'zlib';

/**
 * CloudTrail log objects as a trail delivers them to S3, made from the real examples of the
 * AWS CloudTrail User Guide kept in the nhi-backend plugin (see ORIGIN.md there): each record
 * is one of those examples with a fresh eventID, the object's account and region, and a time
 * just before the object's delivery.
 */

const UPSTREAM = path.join(
  path.dirname(
    require.resolve('@nhi-governance/plugin-nhi-backend/package.json'),
  ),
  'src/discovery/__fixtures__/upstream/aws-cloudtrail',
);

const SAMPLES = [
  'ec2-start-instances.json',
  'ec2-create-key-pair.json',
  'iam-add-user-to-group.json',
  'cloudtrail-update-trail-error.json',
].map(
  file =>
    JSON.parse(readFileSync(path.join(UPSTREAM, file), 'utf8')).Records[0],
);

/** The User Guide's CreateRole example, which as published is not valid JSON. */
export const brokenUpstreamSample = () =>
  readFileSync(path.join(UPSTREAM, 'iam-create-role.json'));

export interface LogObject {
  key: string;
  /** The gzipped `{"Records":[...]}` */
  body: Buffer;
  eventIds: string[];
  accessKeyId: string;
}

export interface LogObjectOptions {
  /** Where the accounts' folders start, e.g. `AWSLogs/` or `trail/AWSLogs/o-a1b2c3d4e5/`. */
  root: string;
  account: string;
  region: string;
  deliveredAt: Date;
  records: number;
  /** The key that made the calls; by default one of the account's. */
  accessKeyId?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz` */
export function logObjectKey(
  root: string,
  account: string,
  region: string,
  deliveredAt: Date,
): string {
  const d = deliveredAt;
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const stamp = `${y}${pad(m)}${pad(day)}T${pad(d.getUTCHours())}${pad(
    d.getUTCMinutes(),
  )}Z`;
  // 16 characters that mean nothing, as CloudTrail's UniqueString.
  const unique = randomBytes(12).toString('base64url').slice(0, 16);
  return `${root}${account}/CloudTrail/${region}/${y}/${pad(m)}/${pad(
    day,
  )}/${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

export function cloudTrailLogObject(options: LogObjectOptions): LogObject {
  const { account, region, deliveredAt } = options;
  const accessKeyId = options.accessKeyId ?? `AKIA${account}TEST`;
  const records = Array.from({ length: options.records }, (_, i) => {
    const sample = structuredClone(SAMPLES[i % SAMPLES.length]);
    const eventTime = new Date(deliveredAt.getTime() - (i + 1) * 1000);
    return {
      ...sample,
      userIdentity: {
        ...sample.userIdentity,
        accountId: account,
        arn: `arn:aws:iam::${account}:user/${sample.userIdentity.userName}`,
        accessKeyId,
      },
      eventID: randomUUID(),
      eventTime: eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      awsRegion: region,
      recipientAccountId: account,
    };
  });
  return {
    key: logObjectKey(options.root, account, region, deliveredAt),
    body: gzipSync(JSON.stringify({ Records: records })),
    eventIds: records.map(r => r.eventID),
    accessKeyId,
  };
}
