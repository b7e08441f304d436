import { gzipSync } from 'zlib';
import { awsCloudTrailS3Connector } from './awsCloudTrailS3Connector';
import { awsCloudTrailS3Settings } from './settings';
import {
  BUCKET,
  DATA,
  integrationCredentials,
  KEY,
  PAYMENTS,
  startTrailBucket,
  type TrailBucket,
} from '../__testUtils__/cloudTrailBucket';
import {
  brokenUpstreamSample,
  logObjectKey,
} from '../__testUtils__/cloudTrailObjects';
import {
  objectRuns,
  readAll,
  recordedRead,
} from '../__testUtils__/connectorRead';

// Against a local server in S3's documented shapes (src/__testUtils__/fakeS3.ts), never AWS.

jest.setTimeout(30_000);

const NOW = new Date('2025-05-14T12:00:00Z');
// As the backend gives them: checked, with their defaults.
const parsed = (settings: object) => awsCloudTrailS3Settings.parse(settings);
const connector = awsCloudTrailS3Connector({
  credentials: integrationCredentials(),
  now: () => NOW,
});

describe('the aws-cloudtrail-s3 connector when S3 fails', () => {
  let bucket: TrailBucket;
  const settings = () => ({
    bucket: BUCKET,
    accounts: [PAYMENTS, DATA],
    regions: ['eu-west-1', 'us-east-1'],
    endpoint: bucket.fake.endpoint,
  });
  const requests = (operation: string) =>
    bucket.fake.requests.filter(r => r.operation === operation);
  const keysOf = (account: string) =>
    bucket.expected.filter(o => o.key.includes(`/${account}/`)).map(o => o.key);

  beforeEach(async () => {
    bucket = await startTrailBucket(NOW);
  });

  afterEach(async () => {
    await bucket.fake.close();
  });

  it('waits out SlowDown with the SDK retry and back-off', async () => {
    bucket.fake.throttle('ListObjectsV2', 1);
    bucket.fake.throttle('GetObject', 1);
    const read = recordedRead(parsed(settings()));
    const observations = await readAll(connector, read.options);

    expect(
      requests('ListObjectsV2')
        .slice(0, 2)
        .map(r => r.status),
    ).toEqual([503, 200]);
    expect(
      requests('GetObject')
        .slice(0, 2)
        .map(r => r.status),
    ).toEqual([503, 200]);
    expect(objectRuns(observations)).toEqual(bucket.expected.map(o => o.key));
    expect(read.scopes).toEqual({ read: [PAYMENTS, DATA], failed: [] });
  });

  it('reports an account whose folders S3 denies as failed, in words, and reads the other', async () => {
    bucket.fake.deny(`AWSLogs/${PAYMENTS}/`);
    const read = recordedRead(parsed(settings()));
    const observations = await readAll(connector, read.options);

    expect(read.scopes.read).toEqual([DATA]);
    expect(read.scopes.failed).toEqual([
      [
        PAYMENTS,
        `s3://${BUCKET}/AWSLogs/${PAYMENTS}/CloudTrail/eu-west-1/2025/05/13/ could not be listed: AccessDenied: Access Denied`,
      ],
    ]);
    expect(objectRuns(observations)).toEqual(keysOf(DATA));
  });

  it('reports an account one of whose objects S3 denies as failed, after the objects before it', async () => {
    const [first, denied] = keysOf(PAYMENTS);
    bucket.fake.deny(denied);
    const read = recordedRead(parsed(settings()));
    const observations = await readAll(connector, read.options);

    expect(read.scopes.failed).toEqual([
      [
        PAYMENTS,
        `s3://${BUCKET}/${denied} could not be read: AccessDenied: Access Denied`,
      ],
    ]);
    expect(objectRuns(observations)).toEqual([first, ...keysOf(DATA)]);
  });

  it('stops the run, saying so in words, when S3 refuses the credentials', async () => {
    bucket.fake.revokeKey(KEY.accessKeyId);
    const read = recordedRead(parsed(settings()));
    const error = await readAll(connector, read.options).catch(e => e);

    expect(error.message).toBe(
      `the aws integration's credentials could not read s3://${BUCKET}, so the run stopped: AWS refused the credentials (InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.); they may have been revoked, rotated or have expired: check the aws integration config`,
    );
    expect(error.message).not.toContain(KEY.secretAccessKey);
    expect(requests('ListObjectsV2').map(r => r.status)).toEqual([403]);
    expect(read.scopes).toEqual({ read: [], failed: [] });
  });

  it('is refused, as S3 refuses it, when the request is signed with another secret', async () => {
    const wrongSecret = awsCloudTrailS3Connector({
      credentials: integrationCredentials({
        ...KEY,
        secretAccessKey: 'not-the-secret-of-this-key',
      }),
      now: () => NOW,
    });
    const read = recordedRead(parsed(settings()));
    const error = await readAll(wrongSecret, read.options).catch(e => e);

    expect(error.message).toMatch(
      /^the aws integration's credentials could not read s3:\/\/org-cloudtrail-logs, so the run stopped: AWS refused the credentials \(SignatureDoesNotMatch: The request signature we calculated does not match/,
    );
    expect(bucket.fake.requests.map(r => r.status)).toEqual([403]);
  });

  it('fails the account when the connection drops inside an object, which then is not passed over', async () => {
    const [first, dropped] = keysOf(PAYMENTS);
    bucket.fake.dropConnection(dropped);
    const read = recordedRead(parsed(settings()));
    const observations = await readAll(connector, read.options);

    expect(read.scopes.failed).toEqual([
      [
        PAYMENTS,
        `s3://${BUCKET}/${dropped} could not be read: the download broke off before the object's end (aborted)`,
      ],
    ]);
    expect(read.warnings).toEqual([]);
    expect(objectRuns(observations)).toEqual([first, ...keysOf(DATA)]);
  });

  it('passes over an object that is not a gzipped CloudTrail log, naming it, and reads on', async () => {
    const at = new Date(NOW.getTime() - 50 * 60_000);
    const notJson = logObjectKey('AWSLogs/', DATA, 'eu-west-1', at);
    const notGzip = logObjectKey(
      'AWSLogs/',
      DATA,
      'eu-west-1',
      new Date(at.getTime() + 60_000),
    );
    // The User Guide's CreateRole example, published with a line break inside a string.
    bucket.fake.put(notJson, gzipSync(brokenUpstreamSample()));
    bucket.fake.put(notGzip, brokenUpstreamSample());
    const read = recordedRead(parsed(settings()));
    const observations = await readAll(connector, read.options);

    expect(read.warnings).toEqual([
      {
        location: `s3://${BUCKET}/${notJson}`,
        field: 'object',
        reason:
          'not a gzipped CloudTrail log: aws-cloudtrail line 1: is not valid JSON',
      },
      {
        location: `s3://${BUCKET}/${notGzip}`,
        field: 'object',
        reason: 'not a gzipped CloudTrail log: incorrect header check',
      },
    ]);
    expect(objectRuns(observations)).toEqual(bucket.expected.map(o => o.key));
    expect(read.scopes).toEqual({ read: [PAYMENTS, DATA], failed: [] });
  });
});
