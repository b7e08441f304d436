import { parseCloudTrail, readPlainRecord, recordSchema } from './cloudTrail';
import { parseLenient } from './lenient';
import {
  chunked,
  collect,
  errorOf,
  failureOn,
  fixtureStream,
  fixtureText,
  measure,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamSamples,
  upstreamText,
} from './__testUtils__/parsing';

const FIXTURE = 'aws-cloudtrail.json';

describe('parseCloudTrail', () => {
  it('yields who did what, from where, for every record naming a key or an ARN', async () => {
    const found = await collect(parseCloudTrail(fixtureStream(FIXTURE)));
    expect(found).toHaveLength(8);
    expect(found[0]).toEqual({
      eventId: 'c2d4e6f8-1a3b-4c5d-9e7f-000000000001',
      provider: 'aws',
      externalId: 'AKIAQ3EGRTPC4EXAMPLE',
      principal: 'arn:aws:iam::123456789012:user/ci-deployer',
      occurredAt: '2026-05-07T10:00:12.000Z',
      sourceAddress: '203.0.113.24',
      region: 'eu-west-1',
      userAgent:
        'aws-cli/2.15.40 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 command/s3.cp',
      action: 's3:GetObject',
      failed: false,
      errorCode: undefined,
    });
  });

  it('marks every record with an errorCode, and a failed console sign-in, as failed', async () => {
    const found = await collect(parseCloudTrail(chunked(fixtureText(FIXTURE))));
    expect(found.map(o => [o.action, o.failed, o.errorCode])).toEqual([
      ['s3:GetObject', false, undefined],
      ['sts:GetCallerIdentity', false, undefined],
      ['ec2:RunInstances', true, 'Client.UnauthorizedOperation'],
      ['iam:ListUsers', true, 'AccessDenied'],
      ['signin:ConsoleLogin', true, undefined],
      ['iam:CreateUser', false, undefined],
      ['sts:GetCallerIdentity', true, 'InvalidClientTokenId'],
      ['dynamodb:DescribeTable', true, 'ThrottlingException'],
    ]);
  });

  it('keeps an unknown key that failed to authenticate, with no ARN', async () => {
    const found = await collect(parseCloudTrail(fixtureStream(FIXTURE)));
    expect(found[6]).toMatchObject({
      externalId: 'AKIAQ3EGRTPCDEXAMPLE',
      principal: undefined,
      sourceAddress: '45.155.205.233',
    });
  });

  it('names the record and field of a bad time', async () => {
    expect(
      await failureOn(
        parseCloudTrail,
        FIXTURE,
        '"2026-05-07T10:03:30Z"',
        '"07/05/2026 10:03"',
      ),
    ).toBe(
      'aws-cloudtrail $.Records[3].eventTime: "07/05/2026 10:03" is not an ISO 8601 timestamp',
    );
  });

  it('names the record where a truncated file ends', async () => {
    const text = fixtureText(FIXTURE);
    const cut = text.slice(0, text.indexOf('"eventName": "CreateLogStream"'));
    expect((await errorOf(parseCloudTrail(chunked(cut)))).message).toBe(
      'aws-cloudtrail $.Records[4]: ends before the JSON is complete: the file is truncated',
    );
  });

  it('refuses a file without Records', async () => {
    expect(
      (await errorOf(parseCloudTrail(chunked('{"records":[]}')))).message,
    ).toBe('aws-cloudtrail $: must be an object whose "Records" is a list');
  });

  it('streams 200,000 records in flat memory', async () => {
    const record = JSON.parse(fixtureText(FIXTURE)).Records[0];
    async function* generated() {
      yield '{"Records":[';
      for (let batch = 0; batch < 2000; batch++) {
        const records = [];
        for (let i = 0; i < 100; i++) {
          records.push(
            JSON.stringify({ ...record, eventID: `e-${batch}-${i}` }),
          );
        }
        yield `${batch ? ',' : ''}${records.join(',')}`;
      }
      yield ']}';
    }
    const { count, heapGrowthMb } = await measure(parseCloudTrail(generated()));
    expect(count).toBe(200_000);
    expect(heapGrowthMb).toBeLessThan(100);
  }, 300_000);
});

describe('parseCloudTrail on the AWS documentation examples', () => {
  const BROKEN = 'iam-create-role.json';
  const FIXTURE_SAMPLE = FIXTURE;
  const read = (name: string) =>
    parseWithWarnings(parseCloudTrail, upstreamText(`aws-cloudtrail/${name}`));

  it.each(upstreamSamples('aws-cloudtrail').filter(n => n !== BROKEN))(
    'reads %s: Alice, by her key and ARN',
    async name => {
      const { found, warnings } = await read(name);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        provider: 'aws',
        externalId: 'EXAMPLE_KEY_ID',
        principal: 'arn:aws:iam::123456789012:user/Alice',
        region: 'us-east-2',
      });
      expect(warnings).toEqual([]);
    },
  );

  it.each(
    [FIXTURE_SAMPLE, ...upstreamSamples('aws-cloudtrail')].filter(
      n => n !== BROKEN,
    ),
  )(
    'reads every record of %s without zod exactly as the schema reads it',
    name => {
      const text =
        name === FIXTURE_SAMPLE
          ? fixtureText(FIXTURE_SAMPLE)
          : upstreamText(`aws-cloudtrail/${name}`);
      const records: unknown[] = JSON.parse(text).Records;
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        const plain = readPlainRecord(record);
        expect(plain).toBeDefined();
        expect(plain).toEqual(
          parseLenient(
            recordSchema,
            { value: record, location: '$.Records[0]' },
            'aws-cloudtrail',
          ),
        );
      }
    },
  );

  it('reads the failed call as failed, with its error code and event id', async () => {
    const { found } = await read('cloudtrail-update-trail-error.json');
    expect(found).toEqual([
      {
        eventId: 'b7d4398e-b2f0-4faa-9c76-e2d316a8d67f',
        provider: 'aws',
        externalId: 'EXAMPLE_KEY_ID',
        principal: 'arn:aws:iam::123456789012:user/Alice',
        occurredAt: '2016-07-14T19:15:45.000Z',
        sourceAddress: '205.251.233.182',
        region: 'us-east-2',
        userAgent: 'aws-cli/1.10.32 Python/2.7.9 Windows/7 botocore/1.4.22',
        action: 'cloudtrail:UpdateTrail',
        failed: true,
        errorCode: 'TrailNotFoundException',
      },
    ]);
  });

  it('refuses the published example that is not valid JSON, naming the record', async () => {
    const error = await errorOf(
      parseCloudTrail(chunked(upstreamText(`aws-cloudtrail/${BROKEN}`))),
    );
    expect(error.message).toMatch(
      /^aws-cloudtrail \$\.Records\[0\]: is not valid JSON near character \d+ \(/,
    );
  });

  it('reads an unreadable API action as unknown, with a warning, and every other record', async () => {
    const plain = await collect(parseCloudTrail(fixtureStream(FIXTURE)));
    const { found, warnings } = await parseEditedWithWarnings(
      parseCloudTrail,
      FIXTURE,
      '"eventName": "GetObject"',
      '"eventName": 42',
    );
    expect(found).toHaveLength(plain.length);
    expect(found[0].action).toBeUndefined();
    expect(found.slice(1)).toEqual(plain.slice(1));
    expect(warnings).toEqual([
      {
        location: '$.Records[0]',
        field: 'eventName',
        reason: 'must be the API action: read as unknown',
      },
    ]);
  });
});
