import { parseTrufflehogReport } from './trufflehog';
import {
  chunked,
  errorOf,
  leakedSecrets,
  parseEditedWithWarnings,
  parseWithWarnings,
  upstreamSamples,
  upstreamText,
} from './__testUtils__/parsing';

const AWS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

/**
 * The secret each finding holds: Raw and RawV2 as written (trufflehog 3 of 2022 wrote them
 * base64-encoded, so decoded too) and Redacted, except an AWS key id, which is public.
 */
function secretsIn(text: string): string[] {
  const findings = text
    .trim()
    .split('\n')
    .map(line => JSON.parse(line) as Record<string, unknown>);
  return findings
    .flatMap(f => [f.Raw, f.RawV2, f.Redacted])
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .flatMap(v => [v, Buffer.from(v, 'base64').toString('utf8')])
    .filter(v => v.length >= 8 && !AWS_KEY_ID.test(v));
}

const read = (name: string) =>
  parseWithWarnings(parseTrufflehogReport, upstreamText(`trufflehog/${name}`));

describe('parseTrufflehogReport on trufflehog output from upstream', () => {
  it.each(upstreamSamples('trufflehog'))(
    'reads %s without keeping a secret',
    async name => {
      const text = upstreamText(`trufflehog/${name}`);
      const { found, warnings } = await read(name);
      expect(found).toHaveLength(text.trim().split('\n').length);
      expect(warnings).toEqual([]);
      expect(leakedSecrets([found, warnings], secretsIn(text))).toEqual([]);
    },
  );

  it('reads the README example: a verified AWS key, its ARN, and a Go date with a zone name', async () => {
    const { found } = await read('readme-git-verified.jsonl');
    expect(found).toEqual([
      {
        scanner: 'trufflehog',
        rule: 'AWS',
        keyId: 'AKIAYVP4CIPPERUVIFXG',
        principal:
          'arn:aws:iam::595918472158:user/canarytokens.com@@mirux23ppyky6hx3l6vclmhnj',
        file: 'keys',
        line: 4,
        commit: 'fbc14303ffbf8fb1c2c1914e8dda7d0121633aca',
        repository: 'https://github.com/trufflesecurity/test_keys',
        author: 'counter <counter@counters-MacBook-Air.local>',
        // "2022-06-16 10:17:40 -0700 PDT"
        date: '2022-06-16T17:17:40.000Z',
        verified: true,
      },
    ]);
  });

  it('reads a recorded git run: base64 Raw, Go dates without a zone name, no line end at the end', async () => {
    const { found } = await read('defectdojo-v3_git.jsonl');
    expect(found.map(f => [f.rule, f.keyId, f.line, f.date])).toEqual([
      ['AWS', 'AKIAYVP4CIPPERUVIFXG', 4, '2022-06-16T17:17:40.000Z'],
      ['URI', undefined, 3, '2022-06-16T17:27:56.000Z'],
      ['PrivateKey', undefined, 1, '2022-06-16T17:27:56.000Z'],
      ['URI', undefined, 3, '2022-06-16T17:27:56.000Z'],
    ]);
  });

  it('reads the github source the same way', async () => {
    const { found } = await read('defectdojo-v3_github.jsonl');
    expect(found[0]).toMatchObject({
      rule: 'AWS',
      repository: 'https://github.com/trufflesecurity/test_keys.git',
      commit: 'fbc14303ffbf8fb1c2c1914e8dda7d0121633aca',
      file: 'keys',
      line: 4,
      verified: true,
    });
  });
});

describe('parseTrufflehogReport, one odd cell', () => {
  const FIXTURE = 'trufflehog.jsonl';

  it('reads an unreadable commit date as unknown, with a warning naming the line and field', async () => {
    const { found, warnings } = await parseEditedWithWarnings(
      parseTrufflehogReport,
      FIXTURE,
      /"timestamp":"[^"]*"/,
      '"timestamp":"yesterday"',
    );
    expect(found).toHaveLength(3);
    expect(found[0]).toMatchObject({ rule: 'AWS', date: undefined });
    expect(found[1].date).toBe('2026-01-05T09:00:41.000Z');
    expect(warnings).toEqual([
      {
        location: 'line 2',
        field: 'SourceMetadata.Data.Git.timestamp',
        reason:
          'a value of 9 characters is not an ISO 8601 timestamp: read as unknown',
      },
    ]);
  });

  it('still fails on a line cut short, naming the line', async () => {
    const text = upstreamText('trufflehog/readme-git-verified.jsonl').slice(
      0,
      -30,
    );
    expect(
      (await errorOf(parseTrufflehogReport(chunked(text)))).message,
    ).toMatch(/^trufflehog line 1: is not valid JSON \(/);
  });
});
