import { define } from '../findingCodes';

/**
 * What usage evidence shows: access nobody uses, usage nobody can see, and usage that does not
 * look like the workload (CC6.2, CC6.3, CC7.2).
 */
export const USAGE_FINDINGS = {
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
  anomaly: define(
    'anomaly',
    'medium',
    'Unusual usage',
    'The identity was used from an unusual place, region or client compared with its history.',
    'Confirm the usage is expected; rotate the credential if not.',
    { soc2: ['CC7.2'], nistCsf: ['DE.CM-03', 'DE.AE-02'], owaspNhi: [] },
  ),
};
