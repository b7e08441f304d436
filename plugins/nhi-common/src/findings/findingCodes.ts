import type { ControlMapping } from './controls';

/**
 * Stable finding codes: the keys of the control mapping. Later releases only add codes.
 * Backend modules may add codes of their own (nhi-node's `nhiFindingRulesExtensionPoint`): a
 * finding's `code` can then be outside this list, and such a finding carries its own title,
 * explanation, remediation, severity and controls, so read those from the finding, not from
 * FINDING_DEFINITIONS.
 */
export const FINDING_CODES = [
  'owner-missing',
  'owner-orphaned',
  'offboarding',
  'rotation-overdue',
  'expired',
  'long-lived',
  'dormant',
  'never-used',
  'unmonitored',
  'overprivileged',
  'shared',
  'environment-mixing',
  'unapproved',
  'human-use',
  'auth-failure-spike',
  'secret-leaked',
  'undeclared',
  'missing-at-source',
  'anomaly',
  'review-overdue',
  'remediation-overdue',
  'root-access-key',
  'root-account-used',
  'multiple-active-keys',
  'access-key-unused',
  'access-key-not-rotated',
  'inactive-key',
] as const;

/** A code of the built-in findings: FINDING_DEFINITIONS holds one definition for each. */
export type BuiltInFindingCode = (typeof FINDING_CODES)[number];

/**
 * A finding's code: a built-in one, or a kebab-case code a backend module registered. The
 * `string & {}` keeps editors suggesting the built-ins while any code type-checks.
 */
export type FindingCode = BuiltInFindingCode | (string & {});

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What every finding of one code says: what is wrong, why it matters, how to fix it, which controls. */
export interface FindingDefinition {
  code: BuiltInFindingCode;
  severity: Severity;
  title: string;
  why: string;
  remediation: string;
  controls: ControlMapping;
}

/** A definition from its parts: each family's table (families/) calls it once per code. */
export const define = (
  code: BuiltInFindingCode,
  severity: Severity,
  title: string,
  why: string,
  remediation: string,
  controls: ControlMapping,
): FindingDefinition => ({ code, severity, title, why, remediation, controls });
