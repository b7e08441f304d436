import {
  AWS_CREDENTIAL_REPORT_COLUMNS,
  parseAwsCredentialReport,
} from './awsCredentialReport';
import {
  chunked,
  collect,
  errorOf,
  fixtureStream,
  fixtureText,
  measure,
  parseWithWarnings,
  upstreamSamples,
  upstreamText,
} from './__testUtils__/parsing';

const HEADER = AWS_CREDENTIAL_REPORT_COLUMNS.join(',');
const report = fixtureText('aws-credential-report.csv');
const [header, ...rows] = report.trimEnd().split('\n');

describe('parseAwsCredentialReport', () => {
  it('yields one credential per access key and certificate ever issued', async () => {
    const found = await collect(
      parseAwsCredentialReport(fixtureStream('aws-credential-report.csv')),
    );
    expect(found.map(c => [c.externalId, c.kind, c.active])).toEqual([
      ['arn:aws:iam::123456789012:root#access_key_1', 'access-key', true],
      [
        'arn:aws:iam::123456789012:user/ci-deployer#access_key_1',
        'access-key',
        true,
      ],
      [
        'arn:aws:iam::123456789012:user/ci-deployer#access_key_2',
        'access-key',
        false,
      ],
      [
        'arn:aws:iam::123456789012:user/legacy-batch#access_key_1',
        'access-key',
        true,
      ],
      [
        'arn:aws:iam::123456789012:user/legacy-batch#access_key_2',
        'access-key',
        true,
      ],
      [
        'arn:aws:iam::123456789012:user/integrations/soap-gateway#cert_1',
        'signing-certificate',
        true,
      ],
      [
        'arn:aws:iam::123456789012:user/integrations/soap-gateway#cert_2',
        'signing-certificate',
        false,
      ],
      // IAM names may hold commas: AWS quotes them.
      [
        'arn:aws:iam::123456789012:user/reports,exporter#access_key_1',
        'access-key',
        true,
      ],
    ]);
    expect(found[1]).toEqual({
      provider: 'aws',
      externalId: 'arn:aws:iam::123456789012:user/ci-deployer#access_key_1',
      kind: 'access-key',
      principal: 'arn:aws:iam::123456789012:user/ci-deployer',
      displayName: 'ci-deployer access key 1',
      active: true,
      createdAt: '2025-11-20T14:05:31.000Z',
      lastRotatedAt: '2025-11-20T14:05:31.000Z',
      lastUsedAt: '2026-05-06T22:47:00.000Z',
      lastUsedRegion: 'eu-west-1',
      lastUsedService: 's3',
      findings: undefined,
    });
  });

  it('reads N/A as "never": a key never used has no last use, region or service', async () => {
    const found = await collect(parseAwsCredentialReport(chunked(report)));
    const neverUsed = found.find(c =>
      c.externalId.endsWith('legacy-batch#access_key_1'),
    )!;
    expect(neverUsed.lastRotatedAt).toBe('2013-07-22T16:50:10.000Z');
    expect(neverUsed.lastUsedAt).toBeUndefined();
    expect(neverUsed.lastUsedRegion).toBeUndefined();
    expect(neverUsed.lastUsedService).toBeUndefined();
  });

  it('calls an active root access key a critical finding, and only an active one', async () => {
    const found = await collect(parseAwsCredentialReport(chunked(report)));
    expect(found[0].findings).toContainEqual({
      code: 'root-access-key',
      severity: 'critical',
      detail: expect.stringContaining(
        'The root user has an active access key 1',
      ),
    });
    expect(
      found.filter(c => c.findings?.some(f => f.code === 'root-access-key')),
    ).toHaveLength(1);
  });

  it('reads a cell it cannot read as unknown, warns with the row and column, and reads the rest', async () => {
    const edited = [
      header,
      rows[1].replace(',false,true,2025', ',false,yes,2025'),
      rows[2].replace('2026-05-07T08:01:55+00:00', 'yesterday'),
    ].join('\n');
    const { found, warnings } = await parseWithWarnings(
      parseAwsCredentialReport,
      edited,
    );
    expect(warnings).toEqual([
      {
        location: 'row 2',
        field: 'access_key_1_active',
        reason: '"yes" is not true or false: read as unknown',
      },
      {
        location: 'row 3',
        field: 'password_last_used',
        reason:
          'a value of 9 characters is not a date, N/A, no_information or not_supported: read as unknown',
      },
    ]);
    // A key whose flag is unreadable but which has a date exists, and is taken to work.
    expect(found.map(c => [c.externalId, c.active])).toEqual([
      ['arn:aws:iam::123456789012:user/ci-deployer#access_key_1', true],
      ['arn:aws:iam::123456789012:user/ci-deployer#access_key_2', false],
    ]);
  });

  it('reads a date that does not exist as unknown, not as another day', async () => {
    const edited = [
      header,
      rows[1].replace('2025-11-20T14:05:31+00:00', '2026-02-30'),
      rows[2].replace('2026-05-07T08:01:55+00:00', '0000-01-01'),
    ].join('\n');
    const { found, warnings } = await parseWithWarnings(
      parseAwsCredentialReport,
      edited,
    );
    const reason = (day: string) =>
      `"${day}" is not a date, N/A, no_information or not_supported: read as unknown`;
    expect(warnings).toEqual([
      {
        location: 'row 2',
        field: 'access_key_1_last_rotated',
        reason: reason('2026-02-30'),
      },
      {
        location: 'row 3',
        field: 'password_last_used',
        reason: reason('0000-01-01'),
      },
    ]);
    expect(found[0].lastRotatedAt).toBeUndefined();
    expect(JSON.stringify(found)).not.toContain('2026-03-02');
  });

  it('reads no_information as unknown, not never: the key is listed and its usage is unknown', async () => {
    const { found, warnings } = await parseWithWarnings(
      parseAwsCredentialReport,
      [
        header,
        rows[1].replace('2026-05-06T22:47:00+00:00', 'no_information'),
      ].join('\n'),
    );
    expect(warnings).toEqual([]);
    expect(found[0]).toMatchObject({
      externalId: 'arn:aws:iam::123456789012:user/ci-deployer#access_key_1',
      active: true,
      usageUnknown: true,
    });
    expect(found[0].lastUsedAt).toBeUndefined();
    // N/A is never used: its usage is known.
    const never = (
      await collect(parseAwsCredentialReport(chunked(report)))
    ).find(c => c.externalId.endsWith('legacy-batch#access_key_1'))!;
    expect(never.usageUnknown).toBeUndefined();
  });

  it('dates each key by its last rotation, which is its creation, and never before its user', async () => {
    const found = await collect(parseAwsCredentialReport(chunked(report)));
    const key = found.find(c =>
      c.externalId.endsWith('ci-deployer#access_key_1'),
    )!;
    expect(key.createdAt).toBe('2025-11-20T14:05:31.000Z');
    const early = await collect(
      parseAwsCredentialReport(
        chunked(
          [
            header,
            rows[1].replace(
              '2025-11-20T14:05:31+00:00',
              '2021-06-01T09:58:00+00:00',
            ),
          ].join('\n'),
        ),
      ),
    );
    expect(early[0]).toMatchObject({
      lastRotatedAt: '2021-06-01T09:58:00.000Z',
      createdAt: '2021-06-01T10:00:00.000Z',
    });
  });

  it('says a signing certificate has no usage data: the report has no column for it', async () => {
    const found = await collect(parseAwsCredentialReport(chunked(report)));
    const cert = found.find(c => c.kind === 'signing-certificate')!;
    expect(cert).toMatchObject({
      usageUnknown: true,
      createdAt: '2024-08-14T07:30:00.000Z',
    });
  });

  it('marks both active keys of a user (CIS AWS 1.13), and neither of one active and one inactive', async () => {
    const found = await collect(parseAwsCredentialReport(chunked(report)));
    const marked = found
      .filter(c => c.findings?.some(f => f.code === 'multiple-active-keys'))
      .map(c => c.externalId);
    expect(marked).toEqual([
      'arn:aws:iam::123456789012:user/legacy-batch#access_key_1',
      'arn:aws:iam::123456789012:user/legacy-batch#access_key_2',
    ]);
  });

  it('gives each root credential the time the root user was last used, by password or key', async () => {
    const found = await collect(parseAwsCredentialReport(chunked(report)));
    expect(found[0].findings).toContainEqual({
      code: 'root-account-used',
      severity: 'high',
      detail:
        'The root user was last used 2026-05-03, with its password (CIS AWS 1.7).',
      observedAt: '2026-05-03T17:42:10.000Z',
    });
  });

  it('reads the reports of upstream projects, with no warning', async () => {
    for (const name of upstreamSamples('aws-credential-report')) {
      const { found, warnings } = await parseWithWarnings(
        parseAwsCredentialReport,
        upstreamText(`aws-credential-report/${name}`),
      );
      expect({ name, warnings }).toEqual({ name, warnings: [] });
      expect(found.length).toBeGreaterThan(0);
    }
    const { found } = await parseWithWarnings(
      parseAwsCredentialReport,
      upstreamText('aws-credential-report/security-hq-report.csv'),
    );
    expect(found.map(c => [c.displayName, c.active, c.lastUsedAt])).toEqual([
      ['with-disabled-key access key 1', false, '2017-04-19T15:48:00.000Z'],
      ['with-disabled-key access key 2', true, '2017-05-24T11:35:00.000Z'],
      ['different-region access key 1', true, '2016-04-04T11:18:00.000Z'],
      ['credential-user access key 1', true, '2017-08-30T13:32:00.000Z'],
    ]);
  });

  it('names the row of a quote left open', async () => {
    const bad = [
      header,
      rows[1],
      rows[5].replace('"reports,exporter",', '"reports,exporter,'),
    ].join('\n');
    expect(
      (await errorOf(parseAwsCredentialReport(chunked(bad)))).message,
    ).toMatch(/^aws-credential-report row 3: is not valid CSV \(/);
  });

  it('names the truncated row', async () => {
    const truncated = report.slice(0, report.indexOf('\nalice') - 20);
    expect(
      (await errorOf(parseAwsCredentialReport(chunked(truncated)))).message,
    ).toBe(
      'aws-credential-report row 3: has 18 columns, expected 22: the row is cut short or the file is truncated',
    );
  });

  it('names missing and unknown columns of a wrong header', async () => {
    const wrong = HEADER.replace('mfa_active,', '').replace(
      'cert_2_last_rotated',
      'cert_2_expiry',
    );
    const error = await errorOf(
      parseAwsCredentialReport(chunked(`${wrong}\n`)),
    );
    expect(error.message).toBe(
      'aws-credential-report row 1: missing column mfa_active, cert_2_last_rotated; unknown column "cert_2_expiry": is this the output of aws iam get-credential-report?',
    );
  });

  it('refuses an empty file', async () => {
    expect((await errorOf(parseAwsCredentialReport(chunked('')))).message).toBe(
      'aws-credential-report row 1: is empty: expected the credential report header',
    );
  });

  it('streams 200,000 rows in flat memory', async () => {
    async function* generated() {
      yield `${HEADER}\n`;
      for (let i = 0; i < 200_000; i++) {
        yield `svc-${i},arn:aws:iam::123456789012:user/svc-${i},2021-06-01T10:00:00+00:00,false,N/A,N/A,N/A,false,true,2025-11-20T14:05:31+00:00,2026-05-06T22:47:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
      }
    }
    const { count, heapGrowthMb } = await measure(
      parseAwsCredentialReport(generated()),
    );
    expect(count).toBe(200_000);
    expect(heapGrowthMb).toBeLessThan(100);
  }, 120_000);
});
