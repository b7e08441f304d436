import { parseGitleaksReport } from './gitleaks';
import { parseTrufflehogReport } from './trufflehog';
import {
  chunked,
  collect,
  failureOn,
  fixtureStream,
  fixtureText,
  leakedSecrets,
} from './__testUtils__/parsing';

const GITLEAKS = 'gitleaks-report.json';
const TRUFFLEHOG = 'trufflehog.jsonl';

/** Every value of the fields that carry the secret text, as the fixture holds them. */
const secretFields = (
  findings: Array<Record<string, unknown>>,
  fields: string[],
) =>
  findings
    .flatMap(f => fields.map(field => f[field]))
    .filter((v): v is string => typeof v === 'string' && v.length > 0);

describe('parseGitleaksReport', () => {
  it('yields where each secret was found, by rule and fingerprint', async () => {
    const found = await collect(parseGitleaksReport(fixtureStream(GITLEAKS)));
    expect(found[0]).toEqual({
      scanner: 'gitleaks',
      rule: 'aws-access-token',
      fingerprint:
        '9e4c1a7f3b2d8e6c5a0f1b9d7e3c2a4f6b8d0e1c:deploy/terraform/backend.tfvars:aws-access-token:14',
      file: 'deploy/terraform/backend.tfvars',
      line: 14,
      commit: '9e4c1a7f3b2d8e6c5a0f1b9d7e3c2a4f6b8d0e1c',
      author: 'm.kowalski@acme.example',
      date: '2026-04-22T16:03:51.000Z',
    });
    expect(found.map(f => f.rule)).toEqual([
      'aws-access-token',
      'github-pat',
      'private-key',
    ]);
  });

  it('never copies Secret, Match or the commit message', async () => {
    const report = JSON.parse(fixtureText(GITLEAKS));
    const secrets = secretFields(report, ['Secret', 'Match', 'Message']);
    expect(secrets).toContain('AKIAI44QH8DHBEXAMPLE');
    const found = await collect(
      parseGitleaksReport(chunked(fixtureText(GITLEAKS))),
    );
    expect(leakedSecrets(found, secrets)).toEqual([]);
  });

  it('names the finding without a rule', async () => {
    expect(
      await failureOn(
        parseGitleaksReport,
        GITLEAKS,
        '"RuleID": "github-pat"',
        '"RuleID": 7',
      ),
    ).toBe('gitleaks $[1].RuleID: must be the rule id');
  });
});

describe('parseTrufflehogReport', () => {
  const lines = fixtureText(TRUFFLEHOG)
    .trim()
    .split('\n')
    .map(line => JSON.parse(line));

  it('yields each finding, skipping log lines, with the AWS key id and ARN it verified', async () => {
    const found = await collect(
      parseTrufflehogReport(fixtureStream(TRUFFLEHOG)),
    );
    expect(found).toEqual([
      {
        scanner: 'trufflehog',
        rule: 'AWS',
        keyId: 'AKIAIOSFODNN7EXAMPLE',
        principal: 'arn:aws:iam::123456789012:user/ci-deployer',
        file: 'services/billing/config/settings.py',
        line: 42,
        commit: '0f2e4d6c8b0a2e4c6b8d0f2a4c6e8b0d2f4a6c8e',
        repository: 'https://github.com/acme/billing.git',
        author: 'Dev Null <dev.null@acme.example>',
        date: '2026-03-18T13:22:07.000Z',
        verified: true,
      },
      {
        scanner: 'trufflehog',
        rule: 'SlackWebhook',
        keyId: undefined,
        principal: undefined,
        file: '.github/workflows/notify.yml',
        line: 18,
        commit: '7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c',
        repository: 'https://github.com/acme/billing.git',
        author: 'ci-bot <ci-bot@acme.example>',
        date: '2026-01-05T09:00:41.000Z',
        verified: false,
      },
      {
        scanner: 'trufflehog',
        rule: 'Github',
        keyId: undefined,
        principal: undefined,
        file: '/srv/backups/home/mkowalski/.git-credentials',
        line: 1,
        commit: undefined,
        repository: undefined,
        author: undefined,
        date: undefined,
        verified: true,
      },
    ]);
  });

  it('never copies Raw, RawV2 or a redacted secret; only an AWS key id passes', async () => {
    const findings = lines.filter(l => 'DetectorName' in l);
    // The AWS key id is the one value trufflehog itself prints in the clear (as Redacted).
    const published = ['AKIAIOSFODNN7EXAMPLE'];
    const secrets = secretFields(findings, ['Raw', 'RawV2', 'Redacted']).filter(
      s => !published.includes(s),
    );
    expect(secrets).toEqual(
      expect.arrayContaining([
        'AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'ghp_9LmQ2wErT5yUi8OpAs1DfGh4JkLz7XcV3bNm',
      ]),
    );
    const found = await collect(
      parseTrufflehogReport(chunked(fixtureText(TRUFFLEHOG))),
    );
    expect(
      leakedSecrets(found, [
        ...secrets,
        'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      ]),
    ).toEqual([]);
  });

  it('names the line of a finding without its source', async () => {
    expect(
      await failureOn(
        parseTrufflehogReport,
        TRUFFLEHOG,
        '{"SourceMetadata":{"Data":',
        '{"SourceMetadata":{"Where":',
      ),
    ).toBe(
      'trufflehog line 2, SourceMetadata.Data: must name the source, e.g. { Git: { commit, file, line } }',
    );
  });
});
