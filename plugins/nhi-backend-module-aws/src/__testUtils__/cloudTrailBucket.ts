import type { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { cloudTrailLogObject, type LogObject } from './cloudTrailObjects';
import { startFakeS3, type FakeS3 } from './fakeS3';

export const BUCKET = 'org-cloudtrail-logs';
export const PAYMENTS = '222222222222';
export const DATA = '333333333333';
/** An account whose logs are in the bucket but not asked for. */
export const OTHER = '444444444444';
export const KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** The aws integration's credentials, as DefaultAwsCredentialsManager gives its main account's. */
export const integrationCredentials = (
  key: typeof KEY = KEY,
): AwsCredentialsManager => ({
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => key,
  }),
});

const byteOrder = (a: string, b: string) =>
  Buffer.compare(Buffer.from(a), Buffer.from(b));

export interface TrailBucket {
  fake: FakeS3;
  /** The objects a read of PAYMENTS and DATA in eu-west-1 and us-east-1 over two days finds, in key order. */
  expected: LogObject[];
  /** Objects of another day, region or account: never fetched. */
  others: LogObject[];
}

/**
 * A bucket a trail delivered to, relative to `now`: objects of yesterday and today (some
 * just either side of midnight) for two accounts and two regions, and objects of three days
 * back, of a region not read and of an account not read.
 */
export async function startTrailBucket(
  now: Date,
  root = 'AWSLogs/',
): Promise<TrailBucket> {
  const fake = await startFakeS3({ bucket: BUCKET, keys: [KEY] });
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const put = (
    account: string,
    region: string,
    deliveredAt: Date,
    records: number,
  ) => {
    const object = cloudTrailLogObject({
      root,
      account,
      region,
      deliveredAt,
      records,
    });
    fake.put(object.key, object.body);
    return object;
  };
  const midnight = new Date(now);
  midnight.setUTCHours(0, 0, 0, 0);
  // Never after `now`: a log holds no record of the future.
  const sinceMidnight = (minutes: number) =>
    new Date(Math.min(midnight.getTime() + minutes * 60_000, ago(1).getTime()));
  const expected = [
    put(PAYMENTS, 'eu-west-1', sinceMidnight(-16 * 60), 3),
    put(PAYMENTS, 'eu-west-1', sinceMidnight(-16 * 60 + 5), 2),
    put(PAYMENTS, 'eu-west-1', sinceMidnight(-12 * 60), 1),
    put(PAYMENTS, 'eu-west-1', sinceMidnight(-8 * 60), 2),
    put(PAYMENTS, 'eu-west-1', sinceMidnight(-5), 1),
    put(PAYMENTS, 'eu-west-1', sinceMidnight(5), 4),
    put(PAYMENTS, 'eu-west-1', ago(15), 2),
    put(PAYMENTS, 'us-east-1', ago(20), 2),
    put(DATA, 'eu-west-1', sinceMidnight(-10 * 60), 2),
    put(DATA, 'eu-west-1', ago(30), 3),
    put(DATA, 'eu-west-1', ago(25), 1),
  ].sort((a, b) => byteOrder(a.key, b.key));
  const others = [
    put(PAYMENTS, 'eu-west-1', sinceMidnight(-2 * 24 * 60 - 60), 2),
    put(PAYMENTS, 'ap-south-1', ago(40), 2),
    put(OTHER, 'eu-west-1', ago(40), 2),
  ];
  return { fake, expected, others };
}

/** The folders a read of `accounts` in eu-west-1 and us-east-1 over two days lists, in key order. */
export function dayFoldersOf(root: string, accounts: string[], now: Date) {
  const day = (back: number) =>
    new Date(now.getTime() - back * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '/');
  return accounts.flatMap(account =>
    ['eu-west-1', 'us-east-1'].flatMap(region =>
      [day(1), day(0)].map(d => `${root}${account}/CloudTrail/${region}/${d}/`),
    ),
  );
}
