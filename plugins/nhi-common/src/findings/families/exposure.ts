import { define } from '../findingCodes';

/**
 * How far one credential reaches, or has already travelled: too much privilege, several users,
 * several environments, a leaked secret (CC6.1, CC6.3, CC6.6).
 */
export const EXPOSURE_FINDINGS = {
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
  'secret-leaked': define(
    'secret-leaked',
    'critical',
    'Secret leaked',
    'The secret itself was found where it does not belong (a catalog file, a repository, a log): anyone who read it can use it.',
    'Rotate the credential now, remove the copy, and check the usage history for misuse.',
    { soc2: ['CC6.1', 'CC6.6'], nistCsf: ['PR.DS-01'], owaspNhi: ['NHI2'] },
  ),
};
