import { z } from 'zod';
import type { LeakReport } from '@nhi-governance/plugin-nhi-common';
import { streamJsonLines } from './json';
import { parseLenient } from './lenient';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import { optionalText, optionalTimestamp } from './values';

const SOURCE = 'trufflehog';

/** An AWS access key id: public by design, logged by CloudTrail, never the secret key. */
const AWS_KEY_ID = /^(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}$/;

/** Where the finding was: git and GitHub sources give a commit, filesystem ones a file. */
const locationSchema = z
  .object({
    commit: optionalText(),
    file: optionalText(),
    email: optionalText(),
    repository: optionalText(),
    // Git sources write Go's time.String(): "2022-06-16 10:17:40 -0700 PDT".
    timestamp: optionalTimestamp(),
    line: z.number({ error: 'must be a line number' }).int().optional(),
  })
  .partial();

// Raw and RawV2 hold the secret, and Redacted a partly masked copy of it: none is in the
// schema except Redacted, which is read only to recognise an AWS key id.
const findingSchema = z.object({
  SourceMetadata: z.object({
    Data: z.record(z.string(), locationSchema, {
      error: 'must name the source, e.g. { Git: { commit, file, line } }',
    }),
  }),
  DetectorName: z.string({ error: 'must be the detector name' }).min(1),
  Verified: z.boolean({ error: 'must be true or false' }).optional(),
  Redacted: optionalText(),
  ExtraData: z.object({ arn: optionalText() }).nullish(),
});

/** trufflehog writes its log to stderr; a report captured with 2>&1 has log lines to skip. */
const isLogLine = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  'level' in value &&
  'msg' in value &&
  !('DetectorName' in value);

/**
 * Reads trufflehog's JSON lines (`trufflehog git … --json`): one leak per finding. The only
 * identifier kept is an AWS access key id, which trufflehog publishes as `Redacted`, and the
 * ARN it learnt when it verified the key.
 */
export async function* parseTrufflehogReport(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<LeakReport> {
  for await (const item of streamJsonLines(input, SOURCE)) {
    if (isLogLine(item.value)) continue;
    const finding = parseLenient(findingSchema, item, SOURCE, warn);
    const where = Object.values(finding.SourceMetadata.Data)[0] ?? {};
    const keyId =
      finding.Redacted && AWS_KEY_ID.test(finding.Redacted)
        ? finding.Redacted
        : undefined;
    yield {
      scanner: 'trufflehog',
      rule: finding.DetectorName,
      keyId,
      principal: finding.ExtraData?.arn,
      file: where.file,
      line: where.line,
      commit: where.commit,
      repository: where.repository,
      author: where.email,
      date: where.timestamp,
      verified: finding.Verified,
    };
  }
}
