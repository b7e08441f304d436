import { CLOUD_ACCOUNT_FINDINGS } from './families/cloudAccount';
import { CREDENTIAL_AGE_FINDINGS } from './families/credentialAge';
import { EXPOSURE_FINDINGS } from './families/exposure';
import { OWNERSHIP_FINDINGS } from './families/ownership';
import { REVIEW_FINDINGS } from './families/reviews';
import { USAGE_FINDINGS } from './families/usage';
import {
  BuiltInFindingCode,
  FINDING_CODES,
  FindingDefinition,
} from './findingCodes';

export { FINDING_CODES, SEVERITIES } from './findingCodes';
export type {
  BuiltInFindingCode,
  FindingCode,
  FindingDefinition,
  Severity,
} from './findingCodes';

/** Every family's definitions: a code no family defines fails to compile here. */
const BY_CODE: Record<BuiltInFindingCode, FindingDefinition> = {
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
) as Record<BuiltInFindingCode, FindingDefinition>;

/**
 * The definition of a built-in finding, or undefined for a code a module registered (such a
 * finding carries its own title, severity, fix and controls). Own keys only, so a code that
 * happens to name an Object property (`constructor`) is not mistaken for a built-in.
 */
export function builtInFindingDefinition(
  code: string,
): FindingDefinition | undefined {
  return Object.hasOwn(FINDING_DEFINITIONS, code)
    ? FINDING_DEFINITIONS[code as BuiltInFindingCode]
    : undefined;
}

/** Whether a code is one of the built-in findings. */
export const isBuiltInFindingCode = (
  code: string,
): code is BuiltInFindingCode => Object.hasOwn(FINDING_DEFINITIONS, code);
