import { CLOUD_ACCOUNT_FINDINGS } from './families/cloudAccount';
import { CREDENTIAL_AGE_FINDINGS } from './families/credentialAge';
import { EXPOSURE_FINDINGS } from './families/exposure';
import { OWNERSHIP_FINDINGS } from './families/ownership';
import { REVIEW_FINDINGS } from './families/reviews';
import { USAGE_FINDINGS } from './families/usage';
import { FINDING_CODES, FindingCode, FindingDefinition } from './findingCodes';

export { FINDING_CODES, SEVERITIES } from './findingCodes';
export type { FindingCode, FindingDefinition, Severity } from './findingCodes';

/** Every family's definitions: a code no family defines fails to compile here. */
const BY_CODE: Record<FindingCode, FindingDefinition> = {
  ...OWNERSHIP_FINDINGS,
  ...CREDENTIAL_AGE_FINDINGS,
  ...USAGE_FINDINGS,
  ...EXPOSURE_FINDINGS,
  ...REVIEW_FINDINGS,
  ...CLOUD_ACCOUNT_FINDINGS,
};

/** Each built-in finding's definition, keyed (and listed) in the order of FINDING_CODES. */
export const FINDING_DEFINITIONS = Object.fromEntries(
  FINDING_CODES.map(code => [code, BY_CODE[code]]),
) as Record<FindingCode, FindingDefinition>;
