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
    expect(found[0].findings).toEqual([
      {
        code: 'root-access-key',
        severity: 'critical',
        detail: expect.stringContaining(
          'The root user has an active access key 1',
        ),
      },
    ]);
    expect(found.filter(c => c.findings)).toHaveLength(1);
  });

  it('names the row, the column and the value that is not a date', async () => {
    const bad = [
      header,
      rows[1],
      rows[2].replace('2026-05-07T08:01:55+00:00', 'yesterday'),
    ].join('\n');
    const error = await errorOf(parseAwsCredentialReport(chunked(bad)));
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'aws-credential-report row 3: password_last_used "yesterday" is not a date, N/A or no_information',
    );
  });

  it('refuses a flag that is neither true nor false', async () => {
    const bad = [
      header,
      rows[1].replace(',false,true,2025', ',false,yes,2025'),
    ].join('\n');
    expect(
      (await errorOf(parseAwsCredentialReport(chunked(bad)))).message,
    ).toBe(
      'aws-credential-report row 2: access_key_1_active "yes" is not true, false',
    );
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
