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

export type FindingCode = (typeof FINDING_CODES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What every finding of one code says: what is wrong, why it matters, how to fix it, which controls. */
export interface FindingDefinition {
  code: FindingCode;
  severity: Severity;
  title: string;
  why: string;
  remediation: string;
  controls: ControlMapping;
}

const define = (
  code: FindingCode,
  severity: Severity,
  title: string,
  why: string,
  remediation: string,
  controls: ControlMapping,
): FindingDefinition => ({ code, severity, title, why, remediation, controls });

export const FINDING_DEFINITIONS: Record<FindingCode, FindingDefinition> = {
  'owner-missing': define(
    'owner-missing',
    'high',
    'No owner',
    'Nobody is accountable for the identity: nobody rotates it, reviews it or removes it when it is no longer needed.',
    'Set spec.owner to the team that runs the workload using it.',
    {
      soc2: ['CC6.1', 'CC6.2'],
      nistCsf: ['PR.AA-01', 'ID.AM-08'],
      owaspNhi: ['NHI1'],
    },
  ),
  'owner-orphaned': define(
    'owner-orphaned',
    'high',
    'Owner not in the catalog',
    'The owning group no longer exists (a re-org or a typo), so the identity has no accountable owner in practice.',
    'Point spec.owner at an existing group, or set a backupOwner who takes it over.',
    {
      soc2: ['CC6.1', 'CC6.2'],
      nistCsf: ['PR.AA-01', 'ID.AM-08'],
      owaspNhi: ['NHI1'],
    },
  ),
  offboarding: define(
    'offboarding',
    'high',
    'Used only by retired components',
    'Every component that uses the identity is deprecated or gone, yet the credential still grants access.',
    'Revoke the credential and remove the identity, or attach it to the component that still needs it.',
    {
      soc2: ['CC6.2', 'CC6.3'],
      nistCsf: ['PR.AA-05', 'ID.AM-08'],
      owaspNhi: ['NHI1'],
    },
  ),
  'rotation-overdue': define(
    'rotation-overdue',
    'medium',
    'Rotation overdue',
    'The credential is older than the rotation period policy allows, so a copy leaked at any point in that time still works.',
    'Rotate the credential, preferably by automating rotation, and record the rotation.',
    { soc2: ['CC6.1'], nistCsf: ['PR.AA-01'], owaspNhi: ['NHI7'] },
  ),
  expired: define(
    'expired',
    'high',
    'Expired but still present',
    'The credential has expired: either something is failing to authenticate, or it is dead weight that should be removed.',
    'Renew it if it is still needed, otherwise revoke it and remove the identity.',
    {
      soc2: ['CC6.1', 'CC6.2'],
      nistCsf: ['PR.AA-01', 'ID.AM-08'],
      owaspNhi: ['NHI1', 'NHI7'],
    },
  ),
  'long-lived': define(
    'long-lived',
    'medium',
    'Long-lived credential without exception',
    'The credential lives longer than policy allows without an approved exception, which maximises the value of a leaked copy.',
    'Shorten its lifetime or move to short-lived tokens (workload identity federation); otherwise request an exception.',
    { soc2: ['CC6.1'], nistCsf: ['PR.AA-01'], owaspNhi: ['NHI7'] },
  ),
  dormant: define(
    'dormant',
    'medium',
    'Dormant',
    'The identity has not been used for longer than the dormancy threshold, yet it can still be used by whoever holds it.',
    'Confirm it is still needed; if not, revoke it.',
    { soc2: ['CC6.2', 'CC6.3'], nistCsf: ['PR.AA-05'], owaspNhi: ['NHI1'] },
  ),
  'never-used': define(
    'never-used',
    'medium',
    'Never used',
    'The identity was issued but has never been seen in use: it is access nobody needs.',
    'Revoke it, or record why it must exist before its first use.',
    { soc2: ['CC6.2', 'CC6.3'], nistCsf: ['PR.AA-05'], owaspNhi: ['NHI1'] },
  ),
  unmonitored: define(
    'unmonitored',
    'low',
    'No usage evidence',
    'No usage events reach the portal for this identity, so what it actually does cannot be shown to an auditor.',
    'Send its usage (cloud audit logs, API gateway logs) to the events endpoint.',
    { soc2: ['CC7.2'], nistCsf: ['DE.CM-03'], owaspNhi: [] },
  ),
  overprivileged: define(
    'overprivileged',
    'high',
    'Admin or wildcard scope',
    'The identity holds admin privilege or a wildcard scope: far more than a workload needs, and a leak gives everything away.',
    'Replace the wildcard with the scopes the workload uses, or request an exception with compensating controls.',
    { soc2: ['CC6.3'], nistCsf: ['PR.AA-05'], owaspNhi: ['NHI5'] },
  ),
  shared: define(
    'shared',
    'medium',
    'Shared across components',
    'Several components use one credential, so no action can be traced to one workload and one compromise spreads to all.',
    'Issue one identity per component, scoped to what each needs.',
    {
      soc2: ['CC6.1', 'CC6.3'],
      nistCsf: ['PR.AA-01', 'PR.AA-02'],
      owaspNhi: ['NHI9'],
    },
  ),
  'environment-mixing': define(
    'environment-mixing',
    'high',
    'Used across production and non-production',
    'One credential reaches production and a less protected environment, so a staging compromise becomes a production one.',
    'Issue a separate identity per environment.',
    { soc2: ['CC6.1', 'CC6.6'], nistCsf: ['PR.IR-01'], owaspNhi: ['NHI8'] },
  ),
  unapproved: define(
    'unapproved',
    'medium',
    'No approval record',
    'Nothing shows who authorised this access, which SOC 2 requires before access is granted.',
    'Have security approve it and record the approver, date and ticket.',
    { soc2: ['CC6.2'], nistCsf: ['PR.AA-05'], owaspNhi: [] },
  ),
  'human-use': define(
    'human-use',
    'high',
    'Used interactively by a person',
    'A person logged in with a machine credential: their actions cannot be told apart from the workload, and the credential has left automation.',
    'Give the person their own access, rotate this credential, and find out why it was used by hand.',
    {
      soc2: ['CC6.1', 'CC7.2'],
      nistCsf: ['PR.AA-02', 'DE.CM-03'],
      owaspNhi: ['NHI10'],
    },
  ),
  'auth-failure-spike': define(
    'auth-failure-spike',
    'high',
    'Authentication failure spike',
    'Failed authentications jumped well above normal: a stolen copy being tried, or a broken rotation.',
    'Check where the failures come from; rotate the credential if they are not yours.',
    { soc2: ['CC7.2'], nistCsf: ['DE.CM-01', 'DE.AE-02'], owaspNhi: ['NHI4'] },
  ),
  'secret-leaked': define(
    'secret-leaked',
    'critical',
    'Secret leaked',
    'The secret itself was found where it does not belong (a catalog file, a repository, a log): anyone who read it can use it.',
    'Rotate the credential now, remove the copy, and check the usage history for misuse.',
    { soc2: ['CC6.1', 'CC6.6'], nistCsf: ['PR.DS-01'], owaspNhi: ['NHI2'] },
  ),
  undeclared: define(
    'undeclared',
    'medium',
    'Found at the source but not declared',
    'The identity exists at its provider but nobody declared it in the catalog, so it has no owner or purpose.',
    'Declare it with an owner and purpose, or revoke it.',
    { soc2: ['CC6.1'], nistCsf: ['PR.AA-01', 'ID.AM-08'], owaspNhi: ['NHI1'] },
  ),
  'missing-at-source': define(
    'missing-at-source',
    'low',
    'Declared but not found at the source',
    'The catalog declares an identity its provider no longer has: the record is stale.',
    'Remove the declaration, or fix its provider and externalId.',
    { soc2: ['CC6.1'], nistCsf: ['ID.AM-08'], owaspNhi: [] },
  ),
  anomaly: define(
    'anomaly',
    'medium',
    'Unusual usage',
    'The identity was used from an unusual place, region or client compared with its history.',
    'Confirm the usage is expected; rotate the credential if not.',
    { soc2: ['CC7.2'], nistCsf: ['DE.CM-03', 'DE.AE-02'], owaspNhi: [] },
  ),
  'review-overdue': define(
    'review-overdue',
    'medium',
    'Access review overdue',
    'The identity has not been recertified within the review cadence, so nobody has confirmed it is still needed.',
    'Complete the pending attestation for it.',
    { soc2: ['CC6.2', 'CC6.3'], nistCsf: ['PR.AA-05'], owaspNhi: [] },
  ),
  'remediation-overdue': define(
    'remediation-overdue',
    'high',
    'Remediation overdue',
    'A reviewer decided to revoke or reduce this access, and the change has not happened by its due date.',
    'Carry out the revocation or scope reduction, and record it.',
    {
      soc2: ['CC6.2', 'CC6.3'],
      nistCsf: ['PR.AA-05'],
      owaspNhi: ['NHI1', 'NHI5'],
    },
  ),
  'root-access-key': define(
    'root-access-key',
    'critical',
    'Active root access key',
    'An access key of the cloud account root works: it can do anything in the account, and no policy can limit it.',
    'Delete the root access key and use IAM roles or users with only the access they need.',
    {
      soc2: ['CC6.1', 'CC6.3'],
      nistCsf: ['PR.AA-05'],
      owaspNhi: ['NHI5', 'NHI7'],
    },
  ),
  'root-account-used': define(
    'root-account-used',
    'high',
    'Root user used recently',
    'The cloud account root user signed in or made a request in the last day. It can do anything in the account, no policy limits it, and its use cannot be told apart from an attack (CIS AWS 1.7).',
    'Find out who used it and why; do the work with an IAM role instead, and keep the root user for the few tasks only it can do.',
    {
      soc2: ['CC6.1', 'CC6.3', 'CC7.2'],
      nistCsf: ['PR.AA-05', 'DE.CM-03'],
      owaspNhi: ['NHI5'],
    },
  ),
  'multiple-active-keys': define(
    'multiple-active-keys',
    'medium',
    'Two active access keys',
    'The user has two active access keys: a rotation left half done, or a second copy nobody tracks. Each is a long-lived secret that works (CIS AWS 1.13).',
    'Keep the key in use, and deactivate then delete the other once nothing uses it.',
    {
      soc2: ['CC6.1', 'CC6.2'],
      nistCsf: ['PR.AA-01'],
      owaspNhi: ['NHI7'],
    },
  ),
  'access-key-unused': define(
    'access-key-unused',
    'medium',
    'Access key unused for 45 days',
    'An active access key has not been used for 45 days or more (or, never used, was created that long ago): access nobody needs, which still works for whoever holds a copy (CIS AWS 1.12).',
    'Deactivate the key, and delete it if nothing breaks.',
    {
      soc2: ['CC6.2', 'CC6.3'],
      nistCsf: ['PR.AA-05'],
      owaspNhi: ['NHI1'],
    },
  ),
  'access-key-not-rotated': define(
    'access-key-not-rotated',
    'medium',
    'Access key older than 90 days',
    'An active access key was created more than 90 days ago, so a copy leaked at any time since still works (CIS AWS 1.14). This holds whatever rotation period the policy sets.',
    'Create a new key, move its users to it, then deactivate and delete the old one.',
    { soc2: ['CC6.1'], nistCsf: ['PR.AA-01'], owaspNhi: ['NHI7'] },
  ),
  'inactive-key': define(
    'inactive-key',
    'low',
    'Inactive key kept',
    'The key is deactivated, so it cannot authenticate, but it still exists: anyone allowed to manage keys can turn it back on.',
    'Delete the key once you are sure nothing needs it.',
    {
      soc2: ['CC6.2'],
      nistCsf: ['ID.AM-08'],
      owaspNhi: ['NHI1'],
    },
  ),
};
