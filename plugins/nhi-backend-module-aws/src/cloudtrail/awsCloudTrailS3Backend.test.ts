// The connector is tested inside the real plugin it extends: its runs, scopes and checkpoints.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import { startConnectorBackend } from '@nhi-governance/plugin-nhi-backend/testUtils';
import { gzipSync } from 'zlib';
import { nhiModuleAws } from '../module';
import {
  BUCKET,
  DATA,
  KEY,
  PAYMENTS,
  startTrailBucket,
  type TrailBucket,
} from '../__testUtils__/cloudTrailBucket';
import {
  brokenUpstreamSample,
  cloudTrailLogObject,
  logObjectKey,
} from '../__testUtils__/cloudTrailObjects';

// The real @aws-sdk/client-s3 over real HTTP against a local server in S3's documented
// shapes (src/__testUtils__/fakeS3.ts), never AWS; the records go through the backend's own
// CloudTrail parser and usage importer.

jest.setTimeout(60_000);

describe('the aws-cloudtrail-s3 connector in the nhi backend', () => {
  let bucket: TrailBucket;

  beforeEach(async () => {
    bucket = await startTrailBucket(new Date());
  });

  afterEach(async () => {
    await bucket.fake.close();
  });

  const startBackend = () =>
    startConnectorBackend({
      features: [nhiModuleAws],
      sourceId: 'org-trail',
      connector: 'aws-cloudtrail-s3',
      config: { aws: { mainAccount: KEY } },
      settings: {
        bucket: BUCKET,
        accounts: [PAYMENTS, DATA],
        regions: ['eu-west-1', 'us-east-1'],
        endpoint: bucket.fake.endpoint,
      },
    });

  it('counts each object once: a second run fetches none of those the first read whole', async () => {
    const backend = await startBackend();
    const records = bucket.expected.reduce((n, o) => n + o.eventIds.length, 0);

    const first = await backend.run();
    expect(first.body).toMatchObject({ status: 'ok', rows: records });
    const fetchedFirst = bucket.fake.requests
      .filter(r => r.operation === 'GetObject')
      .map(r => r.key);
    expect(fetchedFirst).toEqual(bucket.expected.map(o => o.key));
    const health = await backend.health();
    expect(health.runs[0].scopes).toEqual([
      expect.objectContaining({ scope: PAYMENTS, status: 'ok' }),
      expect.objectContaining({ scope: DATA, status: 'ok' }),
    ]);

    const before = bucket.fake.requests.length;
    const second = await backend.run();
    expect(second.body).toMatchObject({ status: 'ok', rows: 0 });
    const again = bucket.fake.requests.slice(before);
    expect(again.filter(r => r.operation === 'GetObject')).toEqual([]);
    // Each folder is listed after the last object counted in it.
    const lastOfFolder = new Map<string, string>();
    for (const { key } of bucket.expected) {
      lastOfFolder.set(key.slice(0, key.lastIndexOf('/') + 1), key);
    }
    for (const [folder, last] of lastOfFolder) {
      expect(
        again.find(r => r.params.prefix === folder)?.params['start-after'],
      ).toBe(last);
    }
  });

  it("warns of a broken object by its key through the backend's own parser, and reads the others", async () => {
    const key = logObjectKey(
      'AWSLogs/',
      DATA,
      'eu-west-1',
      new Date(Date.now() - 60_000),
    );
    bucket.fake.put(key, gzipSync(brokenUpstreamSample()));
    const backend = await startBackend();

    expect((await backend.run()).body.status).toBe('ok');
    const run = (await backend.health()).runs[0];
    expect(run.warnings).toEqual([
      expect.objectContaining({
        location: `s3://${BUCKET}/${key}`,
        field: 'object',
        reason: expect.stringMatching(
          /^not a gzipped CloudTrail log: aws-cloudtrail /,
        ),
      }),
    ]);
    expect(run.rowsRead).toBe(
      bucket.expected.reduce((n, o) => n + o.eventIds.length, 0),
    );
  });

  it('shows a denied account as failed on the Discovery tab while the other is read', async () => {
    bucket.fake.deny(`AWSLogs/${DATA}/`);
    const backend = await startBackend();

    expect((await backend.run()).body.status).toBe('ok');
    const scopes = (await backend.health()).runs[0].scopes;
    expect(scopes.map((s: any) => [s.scope, s.status])).toEqual([
      [PAYMENTS, 'ok'],
      [DATA, 'failed'],
    ]);
    expect(scopes[1].error).toMatch(
      new RegExp(
        `^s3://${BUCKET}/AWSLogs/${DATA}/CloudTrail/eu-west-1/.* could not be listed: AccessDenied: Access Denied$`,
      ),
    );
  });

  it('reads an object cut off by a dropped connection again on the next run, each record counted once', async () => {
    // Large enough that half its body holds records the parser has passed on.
    const large = cloudTrailLogObject({
      root: 'AWSLogs/',
      account: PAYMENTS,
      region: 'eu-west-1',
      deliveredAt: new Date(Date.now() - 2 * 60_000),
      records: 600,
    });
    bucket.fake.put(large.key, large.body);
    bucket.fake.dropConnection(large.key);
    const all = [...bucket.expected, large];
    const total = all.reduce((n, o) => n + o.eventIds.length, 0);
    const backend = await startBackend();

    const first = await backend.run();
    expect(first.body.status).toBe('ok');
    // Some of the cut-off object's records were passed on before the connection dropped;
    // PAYMENTS' us-east-1 object, after it, was not read.
    const notRead = bucket.expected.find(o => o.key.includes('/us-east-1/'))!;
    expect(first.body.rows).toBeGreaterThan(
      total - large.eventIds.length - notRead.eventIds.length,
    );
    const scopes = (await backend.health()).runs[0].scopes;
    expect(scopes.map((s: any) => [s.scope, s.status])).toEqual([
      [PAYMENTS, 'failed'],
      [DATA, 'ok'],
    ]);
    expect(scopes[0].error).toBe(
      `s3://${BUCKET}/${large.key} could not be read: the download broke off before the object's end (aborted)`,
    );

    const before = bucket.fake.requests.length;
    const second = await backend.run();
    expect(second.body.status).toBe('ok');
    const fetched = bucket.fake.requests
      .slice(before)
      .filter(r => r.operation === 'GetObject')
      .map(r => r.key);
    expect(fetched).toContain(large.key);
    // Every record counted once over the two runs, the cut-off object's included.
    const newlyCounted = (body: any) =>
      body.summary.observations - body.summary.alreadyCounted;
    expect(newlyCounted(first.body) + newlyCounted(second.body)).toBe(total);
  });
});
