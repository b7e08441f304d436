import { define } from '../findingCodes';

/**
 * A cloud account's own keys and root user, as the CIS AWS Foundations Benchmark checks them
 * (CC6.1, CC6.2, CC6.3).
 */
export const CLOUD_ACCOUNT_FINDINGS = {
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
