import { z } from 'zod';
import type { LeakReport } from '@nhi-governance/plugin-nhi-common';
import { parseItem, streamJsonArray } from './json';
import { SourceInput } from './stream';
import { optionalText, optionalTimestamp } from './values';

const SOURCE = 'gitleaks';

// Secret and Match hold the leaked text (Match with its surroundings), and so can Message:
// none of them is in the schema, so none is ever read. The fingerprint names the finding
// (commit:file:rule:line) without the secret.
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

/**
 * Reads a gitleaks JSON report (`gitleaks detect --report-format json`): one leak per
 * finding. For rule `aws-access-token` the access key id is the Secret itself, so it is not
 * copied either; such a finding is matched by fingerprint or file instead.
 */
export async function* parseGitleaksReport(
  input: SourceInput,
): AsyncGenerator<LeakReport> {
  for await (const item of streamJsonArray(input, SOURCE)) {
    const finding = parseItem(findingSchema, item, SOURCE);
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
