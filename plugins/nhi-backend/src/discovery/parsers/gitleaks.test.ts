import { parseGitleaksReport } from './gitleaks';
import {
  chunked,
  errorOf,
  leakedSecrets,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamSamples,
  upstreamText,
} from './__testUtils__/parsing';

const GITLEAKS7 = 'defectdojo-version_7.5.0.json';

/** Every value of the fields that hold the leaked text, as the report holds them. */
const secretsIn = (text: string) =>
  (JSON.parse(text) as Array<Record<string, unknown>>)
    .flatMap(finding => [finding.Secret, finding.Match, finding.Line])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);

const read = (name: string) =>
  parseWithWarnings(parseGitleaksReport, upstreamText(`gitleaks/${name}`));

describe('parseGitleaksReport on gitleaks reports from upstream', () => {
  const reports = upstreamSamples('gitleaks').filter(n => n !== GITLEAKS7);

  it.each(reports)('reads %s without keeping a secret', async name => {
    const text = upstreamText(`gitleaks/${name}`);
    const { found, warnings } = await read(name);
    expect(found).toHaveLength(JSON.parse(text).length);
    expect(leakedSecrets([found, warnings], secretsIn(text))).toEqual([]);
  });

  it('reads a gitleaks dir finding, with no commit, as one without commit or date', async () => {
    const { found, warnings } = await read('defectdojo-gitleaks8_many.json');
    expect(found.map(f => f.rule)).toEqual([
      'aws-access-token',
      'aws-access-token',
      'RSA-PK',
      'generic-api-key',
    ]);
    expect(found[2]).toEqual({
      scanner: 'gitleaks',
      rule: 'RSA-PK',
      fingerprint: undefined,
      file: 'conf/rsa.pk',
      line: 57,
      commit: undefined,
      author: undefined,
      date: undefined,
    });
    expect(found[3]).toMatchObject({
      commit:
        '69235ea9ea4d59e18e2cc3c295526de46aa1365c1f0c7a95a22ff1537acdf517',
      author: 'john.doe@example.com',
      date: '2016-09-16T18:17:59.000Z',
    });
    // An empty Date is what a scan without git writes, not an odd cell.
    expect(warnings).toEqual([]);
  });

  it('reads a month-day-year date as unknown, with a warning naming the finding and field', async () => {
    const { found, warnings } = await read('json_simple.json');
    expect(found).toEqual([
      {
        scanner: 'gitleaks',
        rule: 'test-rule',
        fingerprint: undefined,
        file: 'auth.py',
        line: 1,
        commit: '0000000000000000',
        author: 'johndoe@gmail.com',
        date: undefined,
      },
    ]);
    // 10-19-2003 could be read, but 03-04-2003 could not be told from 4 March: no guess.
    expect(warnings).toEqual([
      {
        location: '$[0]',
        field: 'Date',
        reason: '"10-19-2003" is not an ISO 8601 timestamp: read as unknown',
      },
    ]);
  });

  it('reads the redacted baseline of a gitleaks git run', async () => {
    const { found, warnings } = await read('baseline.json');
    expect(found.map(f => [f.rule, f.line, f.date])).toEqual([
      ['pypi-upload-token', 32, '2022-03-07T14:33:06.000Z'],
      ['pypi-upload-token', 33, '2022-03-07T14:33:06.000Z'],
    ]);
    expect(found[0].fingerprint).toBe(
      '9326f35380636bcbe61e94b0584d1618c4b5c2c2:detect/detect_test.go:pypi-upload-token:32',
    );
    expect(warnings).toEqual([]);
  });

  it('refuses a gitleaks 7 report by name, whatever it holds', async () => {
    const text = upstreamText(`gitleaks/${GITLEAKS7}`);
    const error = await errorOf(parseGitleaksReport(chunked(text)));
    expect(error.message).toBe(
      'gitleaks $[0]: is a gitleaks 7 report (rule, offender): export it again with gitleaks 8, whose findings name RuleID',
    );
    expect(leakedSecrets([error.message], ['AKIAIOSFODNN7EXAMPLE'])).toEqual(
      [],
    );
  });
});

describe('parseGitleaksReport, one odd cell', () => {
  const FIXTURE = 'gitleaks-report.json';

  it('reads the dates gitleaks before 8.2 wrote with Go time.String()', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseGitleaksReport,
      FIXTURE,
      '"2026-04-22T16:03:51Z"',
      '"2021-11-02 23:37:53 -0500 -0500"',
    );
    expect(found[0].date).toBe('2021-11-03T04:37:53.000Z');
    expect(warnings).toEqual([]);
  });

  it('warns of a line number that is not one and reads every finding', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseGitleaksReport,
      FIXTURE,
      '"StartLine": 14',
      '"StartLine": "fourteen"',
    );
    expect(found.map(f => [f.rule, f.line])).toEqual([
      ['aws-access-token', undefined],
      ['github-pat', expect.any(Number)],
      ['private-key', expect.any(Number)],
    ]);
    expect(warnings).toEqual([
      {
        location: '$[0]',
        field: 'StartLine',
        reason: 'must be a line number: read as unknown',
      },
    ]);
  });

  it('still fails on a truncated report, naming where it ends', async () => {
    const text = upstreamText('gitleaks/baseline.json').slice(0, -40);
    expect((await errorOf(parseGitleaksReport(chunked(text)))).message).toBe(
      'gitleaks $[1]: ends before the JSON is complete: the file is truncated',
    );
  });
});
