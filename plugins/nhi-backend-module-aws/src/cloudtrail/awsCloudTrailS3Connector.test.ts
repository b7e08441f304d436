import { awsCloudTrailS3Connector } from './awsCloudTrailS3Connector';
import { awsCloudTrailS3Settings } from './settings';
import {
  BUCKET,
  DATA,
  dayFoldersOf,
  integrationCredentials,
  KEY,
  OTHER,
  PAYMENTS,
  startTrailBucket,
  type TrailBucket,
} from '../__testUtils__/cloudTrailBucket';
import { cloudTrailLogObject } from '../__testUtils__/cloudTrailObjects';
import {
  objectRuns,
  readAll,
  recordedRead,
} from '../__testUtils__/connectorRead';

// These tests run the real @aws-sdk/client-s3 over real HTTP against a local server that
// answers in S3's documented shapes and checks SigV4 (src/__testUtils__/fakeS3.ts), never AWS.

const NOW = new Date('2025-05-14T12:00:00Z');
// As the backend gives them: checked, with their defaults.
const parsed = (settings: object) => awsCloudTrailS3Settings.parse(settings);
const connector = awsCloudTrailS3Connector({
  credentials: integrationCredentials(),
  now: () => NOW,
});

describe('the aws-cloudtrail-s3 connector', () => {
  let bucket: TrailBucket;
  const settings = () => ({
    bucket: BUCKET,
    accounts: [DATA, PAYMENTS],
    regions: ['us-east-1', 'eu-west-1'],
    endpoint: bucket.fake.endpoint,
    days: 2,
    region: 'eu-west-1',
  });
  const requests = (operation: string) =>
    bucket.fake.requests.filter(r => r.operation === operation);

  beforeEach(async () => {
    bucket = await startTrailBucket(NOW);
  });

  afterEach(async () => {
    await bucket.fake.close();
  });

  it('reads every object of every listed folder once, across pages, one object after another in key order', async () => {
    const read = recordedRead(parsed(settings()));
    const observations = await readAll(connector, read.options);

    const keys = bucket.expected.map(o => o.key);
    expect(objectRuns(observations)).toEqual(keys);
    expect(observations.map(o => o.eventId)).toEqual(
      bucket.expected.flatMap(o => o.eventIds),
    );
    expect(observations.every(o => o.object !== undefined)).toBe(true);
    expect(observations[0]).toMatchObject({
      provider: 'aws',
      externalId: `AKIA${PAYMENTS}TEST`,
      object: keys[0],
    });
    // Each object fetched once, none of another day, region or account; parsed one at a time.
    expect(requests('GetObject').map(r => r.key)).toEqual(keys);
    expect(read.parses.mostOpen).toBe(1);
    expect([...read.parses.formats]).toEqual(['usage aws-cloudtrail']);
    // Each day's folder of each region listed, page after page (two keys a page).
    const folders = dayFoldersOf('AWSLogs/', [PAYMENTS, DATA], NOW);
    expect(read.asked).toEqual(folders);
    expect([
      ...new Set(requests('ListObjectsV2').map(r => r.params.prefix)),
    ]).toEqual(folders);
    // Five objects yesterday in PAYMENTS' eu-west-1: three pages.
    expect(
      requests('ListObjectsV2')
        .filter(r => r.params.prefix === folders[0])
        .map(r => r.params['continuation-token'] !== undefined),
    ).toEqual([false, true, true]);
    expect(read.scopes).toEqual({ read: [PAYMENTS, DATA], failed: [] });
    expect(read.warnings).toEqual([]);
    // Every request signed with the integration's key, and accepted.
    expect(
      bucket.fake.requests.every(
        r => r.accessKeyId === KEY.accessKeyId && r.status === 200,
      ),
    ).toBe(true);
  });

  it('fetches only the objects not counted in full, listing each folder after the last one counted', async () => {
    const [yesterday, today] = dayFoldersOf('AWSLogs/', [PAYMENTS], NOW);
    const keysIn = (folder: string) =>
      bucket.expected.map(o => o.key).filter(k => k.startsWith(folder));
    const [y0, y1] = keysIn(yesterday);
    const [, t1] = keysIn(today);
    // Today's first object was cut short by the last run; its second was counted in full.
    const read = recordedRead(parsed(settings()), {
      complete: [y0, y1, t1],
      lastComplete: { [yesterday]: y1 },
    });
    const observations = await readAll(connector, read.options);

    const listed = (folder: string) =>
      requests('ListObjectsV2').find(r => r.params.prefix === folder)!.params;
    expect(listed(yesterday)['start-after']).toBe(y1);
    expect(listed(today)['start-after']).toBeUndefined();
    const fetched = requests('GetObject').map(r => r.key);
    expect(fetched).toEqual(
      bucket.expected.map(o => o.key).filter(k => ![y0, y1, t1].includes(k)),
    );
    expect(objectRuns(observations)).toEqual(fetched);
  });

  it('reads an organisation trail under a key prefix, finding its accounts in the bucket', async () => {
    await bucket.fake.close();
    const root = 'audit/trail/AWSLogs/o-a1b2c3d4e5/';
    bucket = await startTrailBucket(NOW, root);
    // Not an account's folder: passed over.
    const stray = cloudTrailLogObject({
      root: `${root}reports/`,
      account: PAYMENTS,
      region: 'eu-west-1',
      deliveredAt: NOW,
      records: 1,
    });
    bucket.fake.put(stray.key, stray.body);
    const { accounts, ...rest } = settings();
    const read = recordedRead(
      parsed({
        ...rest,
        prefix: '/audit/trail/',
        organizationId: 'o-a1b2c3d4e5',
      }),
    );
    const observations = await readAll(connector, read.options);

    expect(read.scopes.read).toEqual([PAYMENTS, DATA, OTHER]);
    const accountList = requests('ListObjectsV2').filter(
      r => r.params.delimiter,
    );
    expect(accountList[0].params).toMatchObject({
      prefix: root,
      delimiter: '/',
    });
    const keys = objectRuns(observations);
    expect(keys).toEqual(
      expect.arrayContaining(bucket.expected.map(o => o.key)),
    );
    expect(keys).toHaveLength(bucket.expected.length + 1);
    expect(keys.every(k => k?.startsWith(root))).toBe(true);
    expect(keys).not.toContain(stray.key);
  });

  it('refuses settings that name no bucket or region, or a malformed account, naming the field', () => {
    const check = (s: object) =>
      connector
        .settingsSchema!.safeParse(s)
        .error?.issues.map(i => `${i.path.join('.')}: ${i.message}`);
    expect(check({})).toEqual([
      'bucket: Invalid input: expected string, received undefined',
      'regions: Invalid input: expected array, received undefined',
    ]);
    expect(
      check({
        bucket: BUCKET,
        regions: ['eu-west-1'],
        accounts: ['12345'],
        days: 40,
      }),
    ).toEqual([
      'accounts.0: must be a 12-digit AWS account id',
      'days: Too big: expected number to be <=31',
    ]);
    expect(
      check({
        bucket: 'Not_A_Bucket',
        regions: ['Ireland'],
        organizationId: 'org',
      }),
    ).toEqual([
      'bucket: must be an S3 bucket name',
      'organizationId: must be an organization id such as o-a1b2c3d4e5',
      'regions.0: must be an AWS region such as eu-west-1',
    ]);
    expect(
      connector.settingsSchema!.parse({
        bucket: BUCKET,
        regions: ['eu-west-1'],
      }),
    ).toEqual({
      bucket: BUCKET,
      regions: ['eu-west-1'],
      days: 2,
      region: 'us-east-1',
    });
  });
});
