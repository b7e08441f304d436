import { z } from 'zod';
import type { LeakReport } from '@nhi-governance/plugin-nhi-common';
import { streamJsonArray } from './json';
import { parseLenient } from './lenient';
import { SourceParseError } from './SourceParseError';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import { optionalText, optionalTimestamp } from './values';

const SOURCE = 'gitleaks';

// Secret and Match hold the leaked text (Match with its surroundings), and so can Message:
// none of them is in the schema, so none is ever read. The fingerprint names the finding
// (commit:file:rule:line) without the secret. `gitleaks dir` leaves Commit, Author, Email
// and Date empty: there is no commit; Date then reads as unknown.
const findingSchema = z.object({
  RuleID: z.string({ error: 'must be the rule id' }).min(1),
  File: optionalText(),
  StartLine: z.number({ error: 'must be a line number' }).int().optional(),
  Commit: optionalText(),
  Author: optionalText(),
  Email: optionalText(),
  Date: optionalTimestamp(),
  Fingerprint: optionalText(),
});

/** gitleaks 7 wrote lower-case fields (`rule`, `offender`, `file`), gitleaks 8 `RuleID`, `Secret`. */
const isGitleaks7 = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !('RuleID' in value) &&
  'rule' in value &&
  'offender' in value;

/**
 * Reads a gitleaks 8 JSON report (`gitleaks git|dir|detect --report-format json`): one leak
 * per finding. For rule `aws-access-token` the access key id is the Secret itself, so it is
 * not copied either; such a finding is matched by fingerprint or file instead.
 */
export async function* parseGitleaksReport(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<LeakReport> {
  for await (const item of streamJsonArray(input, SOURCE)) {
    if (isGitleaks7(item.value)) {
      throw new SourceParseError(
        SOURCE,
        item.location,
        'is a gitleaks 7 report (rule, offender): export it again with gitleaks 8, whose findings name RuleID',
      );
    }
    const finding = parseLenient(findingSchema, item, SOURCE, warn);
    yield {
      scanner: 'gitleaks',
      rule: finding.RuleID,
      fingerprint: finding.Fingerprint,
      file: finding.File,
      line: finding.StartLine,
      commit: finding.Commit,
      author: finding.Email ?? finding.Author,
      date: finding.Date,
    };
  }
}
